/** Who may use the terminal: a subscriber and an anonymous visitor get neither the screen nor the routes. */
import { assert } from './lib/harness.mjs';

const routes = ( ctx ) => [
	[ 'GET', `/pos/catalogue?location=${ ctx.seed.store }` ],
	[
		'GET',
		`/pos/stock?location=${ ctx.seed.store }&products=${ ctx.seed.products.mug.id }`,
	],
	[ 'GET', '/pos/locations' ],
	[
		'POST',
		'/pos/quote',
		{
			location: ctx.seed.store,
			lines: [ { product: ctx.seed.products.mug.id, qty: 1 } ],
			coupons: [],
		},
	],
	[
		'POST',
		'/pos/sales',
		{
			id: '00000000-0000-4000-8000-000000000001',
			location: ctx.seed.store,
			lines: [ { product: ctx.seed.products.mug.id, qty: 1 } ],
			coupons: [],
			customer: null,
			payments: [
				{ method: 'cash', amount: '14.88', tendered: '20.00' },
			],
		},
	],
	[ 'GET', '/pos/customers?search=erika' ],
	[ 'GET', `/pos/sessions/current?location=${ ctx.seed.store }` ],
	[ 'GET', `/pos/reports/day?location=${ ctx.seed.store }&date=2026-01-01` ],
];

export const tests = [
	[
		'anonymous visitor: the POS screen sends to the login, every POS route answers 401',
		async ( ctx ) => {
			const { page } = await ctx.session( null );
			await page.goto( ctx.posUrl );
			assert.match(
				page.url(),
				/wp-login\.php/,
				'the screen redirects to the login'
			);
			assert.equal( await page.locator( '#omnistock-pos' ).count(), 0 );
			for ( const [ method, route, body ] of routes( ctx ) ) {
				const { status } = await ctx.call( page, method, route, body );
				assert.equal( status, 401, `${ method } ${ route }` );
			}
			assert.equal(
				ctx.site( 'sale', '00000000-0000-4000-8000-000000000001' )
					.orders.length,
				0,
				'no order made'
			);
		},
	],
	[
		'subscriber: the POS screen is refused, every POS route answers 403',
		async ( ctx ) => {
			const { page } = await ctx.session( 'subscriber' );
			const response = await page.goto( ctx.posUrl );
			// WordPress answers 403, or WooCommerce sends a customer from wp-admin to My Account.
			assert.ok(
				response.status() === 403 ||
					! page.url().includes( 'page=omnistock-pos' ),
				`the screen: ${ response.status() } ${ page.url() }`
			);
			assert.equal( await page.locator( '#omnistock-pos' ).count(), 0 );
			const nonce = await ctx.nonce( page );
			assert.ok(
				nonce,
				'a logged-in subscriber has a wp_rest nonce, so the 403 is about the capability'
			);
			for ( const [ method, route, body ] of routes( ctx ) ) {
				const { status } = await ctx.call(
					page,
					method,
					route,
					body,
					nonce
				);
				assert.equal( status, 403, `${ method } ${ route }` );
			}
			assert.equal(
				ctx.site( 'sale', '00000000-0000-4000-8000-000000000001' )
					.orders.length,
				0,
				'no order made'
			);
		},
	],
	[
		'cashier: has the POS menu and the screen (full screen, no admin menu)',
		async ( ctx ) => {
			const { page } = await ctx.session( 'cashier' );
			await page.goto( `${ ctx.base }/wp-admin/` );
			assert.equal(
				( await page
					.locator( '#adminmenu a[href*="page=omnistock-pos"]' )
					.count() ) > 0,
				true,
				'POS in the menu'
			);
			const response = await page.goto( ctx.posUrl );
			assert.equal( response.status(), 200 );
			await page.waitForSelector(
				'.omnistock-pos__picker, .omnistock-pos__app'
			);
			assert.equal(
				await page.locator( '#adminmenumain' ).isVisible(),
				false,
				'admin menu hidden'
			);
		},
	],
];

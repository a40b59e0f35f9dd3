/**
 * A shopper buys through the shop's Checkout block page (as WooCommerce 8.3+ installs it), paying
 * cash on delivery: the order exists, and the product's stock dropped by exactly what was bought
 * on every surface: Omnistock's REST stock (online and the routed location's sellable),
 * WooCommerce's _stock and the Store API's remaining units.
 */
import { assert, PASSWORDS, until } from './lib/harness.mjs';

// The Checkout block is the shop's checkout page from WooCommerce 8.3 on; the oldest stack (7.7) has the shortcode.
export const stacks = [ 'current' ];

const QTY = 2;

/** Every surface's number for the product: Omnistock (REST, as the admin), WooCommerce, Store API. */
async function surfaces( ctx, page, nonce, product ) {
	const rest = await ctx.call(
		page,
		'GET',
		`/stock/${ product }`,
		undefined,
		nonce
	);
	assert.equal(
		rest.status,
		200,
		`REST stock: ${ JSON.stringify( rest.body ) }`
	);
	const cells = Object.fromEntries(
		rest.body.locations.map( ( c ) => [ c.location, c ] )
	);
	const server = ctx.site( 'stock', product, ctx.seed.store );
	const store = await ctx.storeApiStock( page, product );
	return {
		online: rest.body.online,
		cells,
		wcStock: Number( server.wc_stock ),
		storeApi: store.number,
		inStock: store.inStock,
	};
}

export const tests = [
	[
		'a shopper pays cash on delivery through the Checkout block page; every stock surface drops by what was bought',
		async ( ctx ) => {
			const checkout = ctx.site( 'checkout-page' );
			assert.ok(
				checkout.block,
				`the shop's checkout page holds the Checkout block: ${ JSON.stringify(
					checkout
				) }`
			);
			const product = ctx.seed.products.notebook.id;
			// The admin, for Omnistock's REST stock: logged in by posting wp-login.php's form, without
			// waiting for the dashboard (WooCommerce 10's is slow to load on a busy machine).
			const admin = { context: await ctx.browser.newContext() };
			await admin.context.addCookies( [
				{
					name: 'wordpress_test_cookie',
					value: 'WP%20Cookie%20check',
					url: ctx.base,
				},
			] );
			admin.page = await admin.context.newPage();
			const login = await admin.page.request.post(
				`${ ctx.base }/wp-login.php`,
				{
					form: {
						log: 'admin',
						pwd: PASSWORDS.admin,
						testcookie: '1',
						'wp-submit': 'Log In',
						redirect_to: `${ ctx.base }/wp-admin/admin-ajax.php?action=rest-nonce`,
					},
				}
			);
			assert.equal( login.status(), 200, 'the admin logged in' );
			const nonce = await ctx.nonce( admin.page );
			assert.match(
				nonce,
				/^[0-9a-f]+$/,
				'a wp_rest nonce for the admin'
			);
			const before = await surfaces( ctx, admin.page, nonce, product );
			assert.ok(
				before.online >= QTY,
				`enough to buy: ${ JSON.stringify( before ) }`
			);

			const { page } = await ctx.session( null );
			await page.goto(
				`${ ctx.base }/?add-to-cart=${ product }&quantity=${ QTY }`
			);
			await page.goto( checkout.url );
			await page.waitForSelector( '.wp-block-woocommerce-checkout' );
			await page.waitForSelector( '#email', { timeout: 30000 } );
			await page.fill( '#email', 'block-shopper@example.org' );
			// The address form: shipping when the cart ships, else billing.
			const prefix = ( await page
				.locator( '#shipping-first_name' )
				.count() )
				? 'shipping'
				: 'billing';
			const country = page.locator( `#${ prefix }-country` );
			if (
				( await country.count() ) &&
				( await country.evaluate( ( e ) => e.tagName ) ) === 'SELECT'
			) {
				await country.selectOption( 'DE' );
			}
			await page.fill( `#${ prefix }-first_name`, 'Block' );
			await page.fill( `#${ prefix }-last_name`, 'Shopper' );
			await page.fill( `#${ prefix }-address_1`, 'Torstr. 1' );
			await page.fill( `#${ prefix }-postcode`, '10119' );
			await page.fill( `#${ prefix }-city`, 'Berlin' );
			const state = page.locator( `#${ prefix }-state` );
			if (
				( await state.count() ) &&
				( await state.evaluate( ( e ) => e.tagName ) ) === 'SELECT'
			) {
				await state.selectOption( 'DE-BE' );
			}
			const cod = page.locator(
				'input[name="radio-control-wc-payment-method-options"][value="cod"]'
			);
			if ( await cod.count() ) {
				await cod.check();
			}
			await ctx.screenshot( page, 'block-checkout-filled' );
			await page.click(
				'.wc-block-components-checkout-place-order-button'
			);
			await until(
				() => page.url().includes( 'order-received' ),
				'the order received page',
				45000
			);
			await ctx.screenshot( page, 'block-checkout-received' );
			const url = new URL( page.url() );
			const id = Number(
				url.searchParams.get( 'order-received' ) ||
					( url.pathname.match( /order-received\/(\d+)/ ) || [] )[ 1 ]
			);
			assert.ok( id > 0, `an order id in ${ page.url() }` );

			const order = ctx.site( 'order', id );
			assert.equal(
				order.created_via,
				'store-api',
				'the order came through the Checkout block'
			);
			assert.equal( order.payment_method, 'cod' );
			assert.equal(
				order.status,
				'processing',
				'cash on delivery: processing'
			);
			assert.deepEqual(
				order.items.map( ( i ) => [ i.product, i.qty ] ),
				[ [ product, QTY ] ]
			);
			const location = Number( order.items[ 0 ].location );
			assert.ok(
				location > 0,
				`the line was routed to a location: ${ JSON.stringify(
					order.items
				) }`
			);

			const after = await surfaces( ctx, admin.page, nonce, product );
			const what = JSON.stringify( { before, after } );
			assert.equal(
				after.online,
				before.online - QTY,
				`Omnistock's online number: ${ what }`
			);
			assert.equal(
				after.cells[ location ].sellable,
				before.cells[ location ].sellable - QTY,
				`sellable at the routed location: ${ what }`
			);
			assert.equal(
				after.cells[ location ].committed,
				before.cells[ location ].committed + QTY,
				`committed at the routed location: ${ what }`
			);
			assert.equal(
				after.cells[ location ].on_hand,
				before.cells[ location ].on_hand,
				`nothing shipped yet: ${ what }`
			);
			assert.equal(
				after.wcStock,
				before.wcStock - QTY,
				`WooCommerce's _stock: ${ what }`
			);
			assert.equal(
				after.wcStock,
				after.online,
				`WooCommerce's _stock is the online number: ${ what }`
			);
			assert.equal(
				after.storeApi,
				before.storeApi - QTY,
				`the Store API's remaining units: ${ what }`
			);
		},
	],
];

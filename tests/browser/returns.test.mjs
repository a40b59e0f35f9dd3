/**
 * Returns at the counter (issue 16), in the browser: an online order is brought to Store Mitte;
 * the cashier finds it by its number (as the receipt's barcode types it), returns one unit back on
 * sale there and one to a location that is not sold from, refunds it in cash from the drawer; the
 * ledger, the Store API and the drawer's expected cash say so. Then a second online order as store
 * credit, and an exchange: a new sale with the credit's coupon in the cart. (The refund through a
 * gateway's process_refund is PHPUnit's, PosReturnsTest: the browser site has no refunding gateway.)
 */
import { assert, until } from './lib/harness.mjs';

const minor = ( s ) =>
	Math.round( Number( String( s ).replace( /[^\d.-]/g, '' ) ) * 100 );

/** Opens the drawer from the terminal with a float, unless it is open already. */
async function drawerOpen( page, float ) {
	const button = page.locator( '.omnistock-pos__drawer-button' );
	if ( ( await button.textContent() ).includes( 'Open drawer' ) ) {
		await button.click();
		await page.fill( 'input[aria-label="Float"]', float );
		await page.click( 'text=Open drawer >> nth=-1' );
		await page.waitForSelector( 'text=Pay in' );
		await page.click( 'text=Back to the register' );
	}
}

/** Finds an order on the Returns view by the text the scanner types. */
async function findOrder( page, number ) {
	await page.click( '.omnistock-pos__returns-button' );
	await page.fill( '.omnistock-pos__returns-number', number );
	await page.keyboard.press( 'Enter' );
	await page.waitForSelector( '.omnistock-pos__return' );
}

export const tests = [
	[
		'returns: an online order returned at Store Mitte, one unit back on sale, one to a damaged location, cash from the drawer; the ledger, Store API and drawer agree',
		async ( ctx ) => {
			const { mug } = ctx.seed.products;
			const store = ctx.seed.store;
			const damaged = ctx.site(
				'not-sold-location',
				'Damaged (Mitte)'
			).id;
			const order = ctx.site( 'online-order', mug.id, 2 );
			assert.equal( order.state, 'fulfilled', JSON.stringify( order ) );
			const before = ctx.site( 'stock', mug.id, store );

			const { page } = await ctx.terminal( 'cashier' );
			await drawerOpen( page, '100.00' );
			const nonce = await ctx.nonce( page );
			const session = (
				await ctx.call(
					page,
					'GET',
					`/pos/sessions/current?location=${ store }`,
					undefined,
					nonce
				)
			).body;
			const expectedBefore = minor(
				(
					await ctx.call(
						page,
						'GET',
						`/pos/sessions/${ session.id }/report`,
						undefined,
						nonce
					)
				).body.expected
			);

			await findOrder( page, order.number );
			const line = page.locator(
				`.omnistock-pos__return-lines tr[data-item="${ order.items[ 0 ] }"]`
			);
			assert.match( await line.textContent(), /2 bought, 2 returnable/ );
			// Two units: one back on sale here, one to the damaged location (qty is per line: the
			// second unit goes in a second return below).
			await line.locator( '.omnistock-pos__return-qty' ).fill( '1' );
			await page.click( '.omnistock-pos__return-method-cash' );
			await ctx.screenshot( page, 'return' );
			await page.click( '.omnistock-pos__return-submit' );
			const done = page.locator( '.omnistock-pos__return-done' );
			await done.waitFor();
			assert.match(
				await done.textContent(),
				/Hand the cash back from the drawer/
			);
			await ctx.screenshot( page, 'return-done' );
			const first = ctx.site(
				'return',
				await done.getAttribute( 'data-return' )
			);
			assert.equal( first.row.status, 'done', JSON.stringify( first ) );
			assert.equal( first.refund.method, 'cash' );
			assert.deepEqual(
				first.ledger.map( ( r ) => [
					r.kind,
					Number( r.location_id ),
					Number( r.qty ),
					r.reason,
				] ),
				[ [ 'adjust', store, 1, 'return' ] ]
			);
			const after = ctx.site( 'stock', mug.id, store );
			assert.equal( after.on_hand, before.on_hand + 1 );
			assert.equal(
				after.online,
				before.online + 1,
				'on sale online at once'
			);
			await until(
				() =>
					Number( ctx.site( 'stock', mug.id, store ).wc_stock ) ===
					after.online,
				"WooCommerce's _stock is the online figure"
			);

			// The second unit, damaged: to the location that is not sold from, with a reason.
			await page.click( 'text=Next return' );
			await page.fill( '.omnistock-pos__returns-number', order.number );
			await page.keyboard.press( 'Enter' );
			await page.waitForSelector( '.omnistock-pos__return' );
			const again = page.locator(
				`.omnistock-pos__return-lines tr[data-item="${ order.items[ 0 ] }"]`
			);
			assert.match( await again.textContent(), /1 returnable/ );
			await again.locator( '.omnistock-pos__return-qty' ).fill( '1' );
			await again
				.locator( '.omnistock-pos__return-restock' )
				.selectOption( String( damaged ) );
			await again
				.locator( '.omnistock-pos__return-reason' )
				.fill( 'handle broken' );
			await page.click( '.omnistock-pos__return-method-cash' );
			await page.click( '.omnistock-pos__return-submit' );
			await done.waitFor();
			const second = ctx.site(
				'return',
				await done.getAttribute( 'data-return' )
			);
			assert.deepEqual(
				second.ledger.map( ( r ) => Number( r.location_id ) ),
				[ damaged ]
			);
			assert.equal(
				ctx.site( 'stock', mug.id, store ).online,
				after.online,
				'the damaged unit is not on sale'
			);

			// The drawer's expected cash is less both cash refunds.
			const report = (
				await ctx.call(
					page,
					'GET',
					`/pos/sessions/${ session.id }/report`,
					undefined,
					nonce
				)
			).body;
			assert.equal(
				minor( report.expected ),
				expectedBefore -
					minor( first.refund.amount ) -
					minor( second.refund.amount ),
				JSON.stringify( report )
			);
			// Closed against that: counted is expected, no difference (and the next test's drawer starts afresh).
			const closed = (
				await ctx.call(
					page,
					'POST',
					`/pos/sessions/${ session.id }/close`,
					{ counted: report.expected },
					nonce
				)
			).body;
			assert.equal(
				minor( closed.difference ),
				0,
				JSON.stringify( closed )
			);
			// Nothing more to return: the line says so.
			await page.click( 'text=Next return' );
			await page.fill( '.omnistock-pos__returns-number', order.number );
			await page.keyboard.press( 'Enter' );
			await until(
				async () =>
					/0 returnable/.test(
						await page
							.locator( '.omnistock-pos__return-lines' )
							.textContent()
					),
				'the line has nothing left to return'
			);
		},
	],
	[
		'returns: store credit, then an exchange: a new sale with the credit in the cart settles the difference',
		async ( ctx ) => {
			const { teapot } = ctx.seed.products;
			const order = ctx.site(
				'online-order',
				teapot.id,
				1,
				ctx.seed.customer.id
			);
			const { page } = await ctx.terminal( 'cashier' );
			await findOrder( page, order.number );
			await page
				.locator( '.omnistock-pos__return-qty' )
				.first()
				.fill( '1' );
			await page.click( '.omnistock-pos__return-method-credit' );
			await page.click( '.omnistock-pos__return-submit' );
			const done = page.locator( '.omnistock-pos__return-done' );
			await done.waitFor();
			const code = await done.getAttribute( 'data-credit' );
			assert.match( code, /^credit-/ );
			assert.match(
				await done.textContent(),
				new RegExp( 'Store credit code: ' + code )
			);
			const taken = ctx.site(
				'return',
				await done.getAttribute( 'data-return' )
			);
			assert.equal( taken.refund.method, 'credit' );
			assert.deepEqual( taken.ledger.length, 1, 'back on sale here' );

			// The exchange: a new sale for the same customer with the credit's coupon (it is theirs:
			// restricted to their e-mail address); two teapots, the credit pays one.
			await page.click( '.omnistock-pos__exchange' );
			await page.waitForSelector(
				'.omnistock-pos__search-input:not([disabled])'
			);
			await ctx.scan( page, teapot.barcode );
			await ctx.scan( page, teapot.barcode );
			await page.waitForSelector(
				`.omnistock-pos__line[data-product="${ teapot.id }"]`
			);
			// WooCommerce's total of the two without the credit, less the refund (tax included):
			// the credit is worth what was refunded. (Not site.php wc-total with the coupon: its
			// order would use the coupon up.)
			const full = ctx.site(
				'wc-total',
				JSON.stringify( {
					lines: [ { product: teapot.id, qty: 2 } ],
				} )
			);
			const expected = minor( full.total ) - minor( taken.refund.amount );
			let shown = null;
			await until(
				async () => {
					shown = await page
						.locator(
							'.omnistock-pos__totals[data-estimate="no"] .total'
						)
						.getAttribute( 'data-total', { timeout: 1000 } )
						.catch( () => null );
					return shown !== null && minor( shown ) === expected;
				},
				`the sale's total is WooCommerce's less the credit: ${ expected } (${ JSON.stringify(
					full
				) })`
			).catch( ( e ) => {
				throw new Error(
					`${ e.message }; the terminal says ${ shown }`
				);
			} );
			await ctx.screenshot( page, 'exchange' );
			await page.click( '.omnistock-pos__pay' );
			await page.fill( 'input[aria-label="Cash tendered"]', shown );
			await page.click( '.omnistock-pos__complete' );
			await page
				.locator( '.omnistock-pos__done' )
				.waitFor()
				.catch( async ( e ) => {
					await ctx.screenshot( page, 'exchange-failed' );
					throw new Error(
						`${ e.message }; the page says ${ await page
							.locator( '.omnistock-pos__app' )
							.textContent() }`
					);
				} );
		},
	],
];

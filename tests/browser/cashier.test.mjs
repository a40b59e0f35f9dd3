/**
 * The cashier's day: open the terminal at a store, scan, search, customer, coupon, cash with change,
 * complete; then the WooCommerce order, the ledger, on_hand, _stock and the Store API all agree.
 * And the drawer: float, pay in/out, close with the counted cash, end-of-day report.
 */
import { assert, until } from './lib/harness.mjs';

const money = ( minor ) => ( minor / 100 ).toFixed( 2 );
const minor = ( s ) => Math.round( Number( s ) * 100 );

export const tests = [
	[
		'cashier: open at a store, scan a barcode, search, customer, coupon, cash with change, complete; order, ledger, on_hand, _stock and Store API agree',
		async ( ctx ) => {
			const { mug, teapot } = ctx.seed.products;
			const store = ctx.seed.store;
			const before = { mug: ctx.site( 'stock', mug.id, store ), teapot: ctx.site( 'stock', teapot.id, store ) };

			const { page } = await ctx.session( 'cashier' );
			await page.goto( ctx.posUrl );
			await page.waitForSelector( '.omnistock-pos__location' );
			await ctx.screenshot( page, 'location-picker' );
			await page.locator( '.omnistock-pos__location', { hasText: 'Store Mitte' } ).click();
			await page.waitForSelector( '.omnistock-pos__search-input:not([disabled])', { timeout: 60000 } );
			// Remembered: a reload opens at the same store without asking.
			await page.reload();
			await page.waitForSelector( '.omnistock-pos__search-input:not([disabled])', { timeout: 60000 } );
			assert.equal( await page.locator( '.omnistock-pos__location-name' ).textContent(), 'Store Mitte' );
			assert.equal( await page.evaluate( () => document.activeElement.className ), 'omnistock-pos__search-input', 'search box focused' );

			await ctx.scan( page, mug.barcode );
			await page.waitForSelector( `.omnistock-pos__line[data-product="${ mug.id }"]` );

			await page.fill( '.omnistock-pos__search-input', 'teapot' );
			const result = page.locator( `.omnistock-pos__result[data-product="${ teapot.id }"]` );
			await result.waitFor();
			assert.match( await result.textContent(), /39[.,]90/, 'price on the result' );
			await until( async () => ( await result.locator( '.stock-here' ).textContent() ) === String( before.teapot.sellable ), 'live stock here on the result' );
			assert.equal( await result.locator( '.stock-online' ).textContent(), String( before.teapot.online ) );
			await ctx.screenshot( page, 'search' );
			await result.click();
			await page.waitForSelector( `.omnistock-pos__line[data-product="${ teapot.id }"]` );

			await page.fill( 'input[aria-label="Find customer"]', 'erika' );
			await page.locator( '.omnistock-pos__customers button', { hasText: 'erika@example.org' } ).click();
			await page.waitForSelector( `.omnistock-pos__customer[data-customer="${ ctx.seed.customer.id }"]` );

			await page.fill( 'input[aria-label="Coupon code"]', 'TENOFF' );
			await page.click( 'text=Apply coupon' );
			await page.waitForSelector( '.omnistock-pos__totals .coupon-row' );
			const totalText = await page.locator( '.omnistock-pos__totals .total' ).getAttribute( 'data-total' );
			const expected = ctx.site( 'wc-total', JSON.stringify( { lines: [ { product: mug.id, qty: 1 }, { product: teapot.id, qty: 1 } ], coupons: [ 'TENOFF' ] } ) );
			assert.equal( totalText, expected.total, 'the screen shows WooCommerce’s total' );
			await ctx.screenshot( page, 'cart' );

			await page.click( '.omnistock-pos__pay' );
			await page.fill( 'input[aria-label="Cash tendered"]', '100' );
			const change = money( 10000 - minor( totalText ) );
			assert.equal( await page.locator( '[data-change]' ).getAttribute( 'data-change' ), change );
			await ctx.screenshot( page, 'payment' );
			await page.click( '.omnistock-pos__complete' );
			const done = page.locator( '.omnistock-pos__done' );
			await done.waitFor();
			const uuid = await done.getAttribute( 'data-sale' );
			const orderId = Number( await done.getAttribute( 'data-order' ) );
			assert.match( await page.locator( '.omnistock-pos__done-change' ).textContent(), new RegExp( change.replace( '.', '[.,]' ) ) );
			await ctx.screenshot( page, 'complete' );

			// The receipt link prints the order (80 mm).
			const href = await page.locator( '.omnistock-pos__receipt-80mm' ).getAttribute( 'href' );
			const receipt = await page.context().newPage();
			const response = await receipt.goto( href );
			assert.equal( response.status(), 200 );
			assert.match( await receipt.content(), /Enamel mug/ );
			await ctx.screenshot( receipt, 'receipt-80mm' );
			await receipt.goto( await page.locator( '.omnistock-pos__receipt-a4' ).getAttribute( 'href' ) );
			await ctx.screenshot( receipt, 'receipt-a4' );

			// Server side: one completed POS order with what the screen showed.
			const sale = ctx.site( 'sale', uuid );
			assert.deepEqual( sale.orders, [ orderId ] );
			const order = sale.order;
			assert.equal( order.status, 'completed' );
			assert.equal( order.created_via, 'omnistock-pos' );
			assert.equal( order.customer, ctx.seed.customer.id );
			assert.deepEqual( order.coupons, [ 'tenoff' ] );
			assert.equal( Number( order.location ), store );
			assert.equal( Number( order.cashier ), ctx.seed.users.cashier );
			assert.equal( Number( order.total ).toFixed( 2 ), totalText );
			assert.equal( order.payments[ 0 ].method, 'cash' );
			assert.deepEqual( order.items.map( ( i ) => [ i.product, i.qty ] ).sort(), [ [ mug.id, 1 ], [ teapot.id, 1 ] ].sort() );
			// The ledger: one sale event per line, at the store.
			assert.deepEqual(
				sale.ledger.map( ( e ) => [ Number( e.product_id ), Number( e.location_id ), Number( e.qty ) ] ).sort(),
				[ [ mug.id, store, -1 ], [ teapot.id, store, -1 ] ].sort()
			);
			// Levels, WooCommerce's _stock and the Store API tell one story.
			for ( const [ key, product ] of [ [ 'mug', mug ], [ 'teapot', teapot ] ] ) {
				const now = ctx.site( 'stock', product.id, store );
				assert.equal( now.on_hand, before[ key ].on_hand - 1, `${ key } on_hand at the store` );
				assert.equal( now.online, before[ key ].online - 1, `${ key } online (the store ships online)` );
				assert.equal( Number( now.wc_stock ), now.online, `${ key } _stock` );
				const api = await ctx.storeApiStock( page, product.id );
				assert.equal( api.number, now.online, `${ key } Store API: ${ api.text }` );
				assert.equal( api.inStock, now.online > 0, `${ key } Store API in stock` );
			}
		},
	],
	[
		'drawer: open with a float, pay in and out, a cash sale, close with the counted cash; session and end-of-day reports',
		async ( ctx ) => {
			const { notebook } = ctx.seed.products;
			const { page } = await ctx.terminal( 'cashier' );
			await page.click( '.omnistock-pos__drawer-button' );
			await page.fill( 'input[aria-label="Float"]', '150.00' );
			await page.click( 'text=Open drawer >> nth=-1' );
			await page.waitForSelector( 'text=Pay in' );
			await page.fill( 'input[aria-label="Amount"]', '20.00' );
			await page.fill( 'input[aria-label="Note"]', 'change from the bank' );
			await page.click( 'text=Pay in' );
			await page.waitForSelector( 'text=Paid in' );
			await page.fill( 'input[aria-label="Amount"]', '5.00' );
			await page.fill( 'input[aria-label="Note"]', 'milk' );
			await page.click( 'text=Pay out' );
			await page.waitForSelector( 'text=Paid out' );
			await ctx.screenshot( page, 'drawer' );
			await page.click( 'text=Back to the register' );

			await ctx.scan( page, notebook.barcode );
			await page.waitForSelector( `.omnistock-pos__line[data-product="${ notebook.id }"]` );
			await page.waitForSelector( '.omnistock-pos__totals .total' );
			const total = await page.locator( '.omnistock-pos__totals .total' ).getAttribute( 'data-total' );
			await page.click( '.omnistock-pos__pay' );
			await page.fill( 'input[aria-label="Cash tendered"]', '50' );
			await page.click( '.omnistock-pos__complete' );
			const done = page.locator( '.omnistock-pos__done' );
			await done.waitFor();
			const sale = ctx.site( 'sale', await done.getAttribute( 'data-sale' ) );
			assert.ok( sale.order.session, 'the sale records the drawer session' );
			await page.click( '.omnistock-pos__next' );

			const expected = money( 15000 + 2000 - 500 + minor( total ) );
			await page.click( '.omnistock-pos__drawer-button' );
			await page.fill( 'input[aria-label="Amount"]', expected );
			await page.click( 'text=Close with counted cash' );
			const report = page.locator( '.omnistock-pos__report' );
			await report.waitFor();
			assert.equal( Number( await report.getAttribute( 'data-report' ) ), Number( sale.order.session ) );
			assert.match( await report.locator( '.expected' ).textContent(), new RegExp( expected.replace( '.', '[.,]' ) ) );
			assert.match( await report.locator( '.difference' ).textContent(), /0[.,]00/ );
			await page.click( 'text=End-of-day report' );
			await page.locator( '.omnistock-pos__day' ).waitFor();
			assert.ok( Number( await page.locator( '.omnistock-pos__day .orders' ).textContent() ) >= 1 );
			await ctx.screenshot( page, 'drawer-report' );
		},
	],
];

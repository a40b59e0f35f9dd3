/**
 * The pickup flow's shared steps (tests/browser/pickup-flow.test.mjs): every stock surface of a
 * product at a store, and the store's side of a paid pickup order, from the desk to the hand-over.
 */
import { assert, until } from './harness.mjs';

/**
 * What each surface says of a product: Omnistock's cells at the two pickup stores and its online
 * number, WooCommerce's _stock, the Store API's remaining units and in-stock flag.
 *
 * @param {Object} ctx     The test context.
 * @param {Object} shop    site.php pickup-shop.
 * @param {number} product Product or variation id.
 */
export async function surfaces( ctx, shop, product ) {
	const mitte = ctx.site( 'stock', product, shop.mitte );
	const kreuzberg = ctx.site( 'stock', product, shop.kreuzberg );
	const { page, context } = await ctx.session( null );
	const storeApi = await ctx.storeApiStock( page, product );
	await context.close();
	return {
		mitte: { onHand: mitte.on_hand, sellable: mitte.sellable },
		kreuzberg: { onHand: kreuzberg.on_hand, sellable: kreuzberg.sellable },
		online: mitte.online,
		wcStock: Number( mitte.wc_stock ),
		storeApi: storeApi.number,
	};
}

/**
 * A block or classic checkout has left a paid pickup order at Store Mitte: the cashier there sees it
 * in the terminal's Pickups view, marks it ready, the shopper's "Ready for pickup" e-mail carries the
 * code and the "I'm here" link; the shopper opens the link, says where they parked; the cashier sees
 * the arrival within seconds, without a reload, and hands it over with the code. The order is
 * completed, the ledger moved the units out of Store Mitte exactly once, and every surface agrees.
 *
 * @param {Object} ctx             The test context.
 * @param {Object} shop            site.php pickup-shop.
 * @param {Object} o               The order.
 * @param {number} o.id            Its id.
 * @param {string} o.email         The shopper's e-mail address.
 * @param {number} o.product       The product (or variation) bought.
 * @param {number} o.qty           Units bought.
 * @param {Object} o.before        surfaces() before the checkout.
 * @param {string} [o.screenshots] Take the curbside page's screenshot ("yes").
 */
export async function handOver(
	ctx,
	shop,
	{ id, email, product, qty, before, screenshots }
) {
	const paid = await surfaces( ctx, shop, product );
	const what = () => JSON.stringify( { before, paid } );
	assert.equal(
		paid.mitte.onHand,
		before.mitte.onHand,
		`paid, not handed over yet: ${ what() }`
	);
	assert.equal(
		paid.mitte.sellable,
		before.mitte.sellable - qty,
		`committed at Store Mitte: ${ what() }`
	);
	assert.deepEqual(
		paid.kreuzberg,
		before.kreuzberg,
		`nothing moved at Store Kreuzberg: ${ what() }`
	);

	const desk = await ctx.terminal( 'cashier' );
	const { page } = desk;
	await page.click( '.omnistock-pos__pickups-button' );
	await page.waitForSelector( '.omnistock-pos__pickups-columns' );
	const card = page.locator( `.omnistock-pos__pickup[data-order="${ id }"]` );
	await card.waitFor( { timeout: 15000 } );
	assert.equal( await card.getAttribute( 'data-status' ), 'new' );
	assert.equal(
		await page
			.locator( `.omnistock-pos__pickups-prepare [data-order="${ id }"]` )
			.count(),
		1,
		'the new order is to prepare'
	);

	await card.locator( '.omnistock-pos__pickup-ready' ).click();
	await until(
		async () => ( await card.getAttribute( 'data-status' ) ) === 'ready',
		'marked ready'
	);
	let mail = null;
	await until( () => {
		mail = ctx
			.mails()
			.find(
				( m ) =>
					String( m.to ).includes( email ) &&
					m.message.includes( `#${ id } is ready for pickup` )
			);
		return !! mail;
	}, `the "Ready for pickup" e-mail of order ${ id } to ${ email }` );
	const code = ( /Pickup code:\D*(\d{6})/.exec( mail.message ) || [] )[ 1 ];
	assert.ok(
		code,
		`a pickup code in the e-mail: ${ mail.message.slice( 0, 2000 ) }`
	);
	assert.ok(
		mail.message.includes( 'Store Mitte' ),
		'the e-mail names the store'
	);
	assert.ok(
		mail.message.includes( 'Mon–Sat 10:00–20:00' ),
		"and the store's opening hours"
	);
	const link = ( /href="([^"]*omnistock_arrived=[^"]*)"/.exec(
		mail.message
	) || [] )[ 1 ];
	assert.ok(
		link,
		`an "I'm here" link (Store Mitte offers curbside): ${ mail.message.slice(
			0,
			2000
		) }`
	);
	assert.ok(
		! ( await page.content() ).includes( code ),
		'staff never see the code'
	);

	// The shopper, in a browser of their own and not logged in, opens the e-mail's link.
	const shopper = await ctx.session( null );
	await shopper.page.goto( link.replace( /&#0?38;|&amp;/g, '&' ) );
	await shopper.page.fill( '#omnistock-note', 'bay 3, red van' );
	if ( screenshots === 'yes' ) {
		await shopper.page.setViewportSize( { width: 420, height: 520 } );
		await ctx.screenshot( shopper.page, 'pickup-curbside' );
	}
	const t0 = Date.now();
	await shopper.page.click( '#omnistock-arrived button[type="submit"]' );
	await shopper.page.waitForSelector( '#omnistock-arrived-done', {
		state: 'visible',
	} );

	// The desk polls: the arrival shows without a reload, within seconds.
	const there = page.locator(
		`.omnistock-pos__pickups-arrived [data-order="${ id }"]`
	);
	await there.waitFor( { timeout: 8000 } );
	assert.ok( Date.now() - t0 < 8000, 'the arrival within seconds' );
	assert.ok(
		( await there.textContent() ).includes( 'bay 3, red van' ),
		'where they parked'
	);
	assert.match(
		await there.getAttribute( 'class' ),
		/\bis-curbside\b/,
		'a curbside arrival stands out'
	);

	await there.locator( '.omnistock-pos__pickup-collect' ).click();
	await there.locator( '.omnistock-pos__pickup-code' ).fill( code );
	await there.locator( 'button[type="submit"]' ).click();
	await until(
		async () =>
			( await page
				.locator( `.omnistock-pos__pickup[data-order="${ id }"]` )
				.count() ) === 0,
		'handed over: off the desk'
	);
	assert.equal( ctx.site( 'order', id ).status, 'completed' );

	// The ledger: committed once at Store Mitte, fulfilled (left on_hand) once there, nowhere else.
	const ledger = ctx.site( 'order-ledger', id );
	const rows = ( kind, reason ) =>
		ledger.filter(
			( r ) => r.kind === kind && ( ! reason || r.reason === reason )
		);
	const cell = ( r ) => [
		Number( r.product_id ),
		Number( r.location_id ),
		Number( r.qty ),
	];
	assert.deepEqual(
		rows( 'commit' ).map( cell ),
		[ [ product, shop.mitte, qty ] ],
		JSON.stringify( ledger )
	);
	assert.deepEqual(
		rows( 'adjust' ).map( cell ),
		[ [ product, shop.mitte, -qty ] ],
		JSON.stringify( ledger )
	);
	assert.equal(
		rows( 'adjust', 'fulfilled' ).length,
		1,
		'the units left as a fulfilment'
	);
	assert.deepEqual(
		rows( 'release' ).map( cell ),
		[ [ product, shop.mitte, qty ] ],
		JSON.stringify( ledger )
	);
	assert.ok(
		ledger.every( ( r ) => Number( r.location_id ) === shop.mitte ),
		`every row at Store Mitte: ${ JSON.stringify( ledger ) }`
	);

	const after = await surfaces( ctx, shop, product );
	const all = JSON.stringify( { before, paid, after } );
	assert.equal(
		after.mitte.onHand,
		before.mitte.onHand - qty,
		`the units left Store Mitte once: ${ all }`
	);
	assert.equal(
		after.mitte.sellable,
		before.mitte.sellable - qty,
		`and are not for sale there: ${ all }`
	);
	assert.deepEqual(
		after.kreuzberg,
		before.kreuzberg,
		`Store Kreuzberg untouched: ${ all }`
	);
	// Store Mitte ships online too: the web shop's numbers dropped by what was bought, once.
	assert.equal(
		after.online,
		before.online - qty,
		`Omnistock's online number: ${ all }`
	);
	assert.equal(
		after.wcStock,
		before.wcStock - qty,
		`WooCommerce's _stock: ${ all }`
	);
	assert.equal(
		after.storeApi,
		before.storeApi - qty,
		`the Store API's remaining units: ${ all }`
	);
	for ( const key of [ 'online', 'wcStock', 'storeApi' ] ) {
		assert.equal(
			after[ key ],
			paid[ key ],
			`handing over moved no number for sale (${ key }): ${ all }`
		);
	}
}

/**
 * The store's pickup desk (issue 15): a paid pickup order at Store Mitte shows in the terminal's
 * Pickups view without a reload, is marked ready (the shopper's e-mail carries the code), the
 * shopper says "I'm here" and the cashier sees it within a few seconds, a wrong code is refused
 * with the server's words and changes nothing, the right one hands it over: the order is completed
 * and the units left Store Mitte once.
 *
 * The order is made through WooCommerce as a pickup checkout leaves it (Meta::PICKUP_LOCATION and
 * the line's location, paid), so this test does not depend on the checkout's rates.
 */
import { assert, until } from './lib/harness.mjs';

const openPickups = async ( ctx ) => {
	const s = await ctx.terminal( 'cashier' );
	await s.page.click( '.omnistock-pos__pickups-button' );
	await s.page.waitForSelector( '.omnistock-pos__pickups-columns' );
	return s;
};

const card = ( page, order ) =>
	page.locator( `.omnistock-pos__pickup[data-order="${ order }"]` );

export const tests = [
	[
		'pickup desk: a new order shows without reload, ready (code by e-mail), arrival within seconds, wrong code refused, hand over completes it and the units leave the store once',
		async ( ctx ) => {
			const { mug } = ctx.seed.products;
			const store = ctx.seed.store;
			const before = ctx.site( 'stock', mug.id, store );
			const { page } = await openPickups( ctx );

			// Made after the view opened: the poll brings it in.
			const order = ctx.site( 'pickup-order', mug.id, store, 2 );
			const c = card( page, order.id );
			await c.waitFor( { timeout: 15000 } );
			assert.equal( await c.getAttribute( 'data-status' ), 'new' );
			assert.ok(
				( await c.textContent() ).includes( 'Ada Lovelace' ),
				'the shopper on the card'
			);
			assert.equal(
				await page
					.locator(
						`.omnistock-pos__pickups-prepare [data-order="${ order.id }"]`
					)
					.count(),
				1,
				'new orders are to prepare'
			);
			await ctx.screenshot( page, 'pickups' );

			await c.locator( '.omnistock-pos__pickup-ready' ).click();
			await until(
				async () =>
					( await c.getAttribute( 'data-status' ) ) === 'ready',
				'marked ready'
			);
			let code = null;
			await until( async () => {
				for ( const m of ctx.mails() ) {
					const found = /Pickup code:\D*(\d{6})/.exec( m.message );
					if ( found ) {
						code = found[ 1 ];
					}
				}
				return code !== null;
			}, 'the ready e-mail with the pickup code' );
			assert.ok(
				! ( await page.content() ).includes( code ),
				'staff never see the code'
			);

			// The shopper's "I'm here" (the order key, no login), from another browser.
			const shopper = await ctx.session( null );
			const arrived = await ctx.call(
				shopper.page,
				'POST',
				`/pickups/${ order.id }/arrived`,
				{ key: order.key, note: 'bay 3, red van' }
			);
			assert.equal( arrived.status, 200, JSON.stringify( arrived.body ) );
			const wrongKey = await ctx.call(
				shopper.page,
				'POST',
				`/pickups/${ order.id }/arrived`,
				{ key: 'wc_order_wrong', note: '' }
			);
			assert.equal( wrongKey.status, 403 );

			const t0 = Date.now();
			const there = page.locator(
				`.omnistock-pos__pickups-arrived [data-order="${ order.id }"]`
			);
			await there.waitFor( { timeout: 8000 } );
			assert.ok( Date.now() - t0 < 8000, 'the arrival within seconds' );
			assert.ok(
				( await there.textContent() ).includes( 'bay 3, red van' ),
				'where they parked'
			);
			await ctx.screenshot( page, 'pickups-arrived' );

			// A wrong code: the server's message, nothing changes.
			await there.locator( '.omnistock-pos__pickup-collect' ).click();
			const wrong = code === '000000' ? '111111' : '000000';
			await there.locator( '.omnistock-pos__pickup-code' ).fill( wrong );
			await there.locator( 'button[type="submit"]' ).click();
			await page.waitForSelector( '.omnistock-pos__pickups-error' );
			assert.equal(
				ctx.site( 'order', order.id ).status,
				'processing',
				'a wrong code changes nothing'
			);
			assert.equal(
				ctx.site( 'stock', mug.id, store ).on_hand,
				before.on_hand,
				'units still at the store after a wrong code'
			);

			await there.locator( '.omnistock-pos__pickup-code' ).fill( code );
			await there.locator( 'button[type="submit"]' ).click();
			await until(
				async () => ( await card( page, order.id ).count() ) === 0,
				'handed over: off the desk'
			);
			assert.equal( ctx.site( 'order', order.id ).status, 'completed' );
			const after = ctx.site( 'stock', mug.id, store );
			assert.equal(
				after.on_hand,
				before.on_hand - 2,
				'the two units left Store Mitte exactly once'
			);
			assert.equal(
				after.sellable,
				before.sellable - 2,
				'and are not for sale there any more'
			);
		},
	],
	[
		'pickup desk: a cashier of another store does not see the order, and cannot act on it',
		async ( ctx ) => {
			const { mug } = ctx.seed.products;
			const store = ctx.seed.store;
			const warehouse = ctx.seed.warehouse;
			const order = ctx.site( 'pickup-order', mug.id, store, 1 );
			ctx.site( 'cashier-at', 'elsewhere', warehouse );
			const { page } = await ctx.session( null );
			await page.goto(
				ctx.posUrl.replace( /wp-admin.*$/, 'wp-login.php' )
			);
			await page.fill( '#user_login', 'elsewhere' );
			await page.fill( '#user_pass', 'elsewhere-password' );
			await Promise.all( [
				page.waitForNavigation(),
				page.click( '#wp-submit' ),
			] );
			await page.goto( ctx.posUrl );
			const nonce = await ctx.nonce( page );
			const list = await ctx.call(
				page,
				'GET',
				`/pickups?location=${ store }`,
				undefined,
				nonce
			);
			assert.equal( list.status, 403, JSON.stringify( list.body ) );
			assert.equal( list.body.code, 'omnistock_pos_not_your_location' );
			const ready = await ctx.call(
				page,
				'POST',
				`/pickups/${ order.id }/ready`,
				{},
				nonce
			);
			assert.equal( ready.status, 403, JSON.stringify( ready.body ) );
			const own = await ctx.call(
				page,
				'GET',
				`/pickups?location=${ warehouse }`,
				undefined,
				nonce
			);
			assert.equal( own.status, 200, JSON.stringify( own.body ) );
			assert.ok(
				! own.body.some( ( p ) => p.order === order.id ),
				'not among the pickups of their own store'
			);
			assert.equal(
				ctx.site( 'order', order.id ).status,
				'processing',
				'nothing changed'
			);
		},
	],
	[
		'pickup desk: start preparing, then cancel with a reason; the order is cancelled and leaves the desk',
		async ( ctx ) => {
			const { mug } = ctx.seed.products;
			const store = ctx.seed.store;
			const order = ctx.site( 'pickup-order', mug.id, store, 1 );
			const { page } = await openPickups( ctx );
			const c = card( page, order.id );
			await c.waitFor();
			await c.locator( '.omnistock-pos__pickup-preparing' ).click();
			await until(
				async () =>
					( await c.getAttribute( 'data-status' ) ) === 'preparing',
				'preparing'
			);
			await c.locator( '.omnistock-pos__pickup-cancel' ).click();
			await c
				.locator( '.omnistock-pos__pickup-reason' )
				.fill( 'damaged in the store' );
			await c.locator( 'button[type="submit"]' ).click();
			await until(
				async () => ( await card( page, order.id ).count() ) === 0,
				'cancelled: off the desk'
			);
			assert.equal( ctx.site( 'order', order.id ).status, 'cancelled' );
		},
	],
];

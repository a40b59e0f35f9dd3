/**
 * Ship from store (issue 16), the store's side in the terminal: an online order routed to Store
 * Mitte appears in the Shipments view without a reload, with its pick list and the product's bin;
 * picked, packed (the packing slip opens and prints on its own), shipped with a carrier and a
 * tracking number: the shopper's e-mail carries it, the order is completed and the units left Store
 * Mitte once. A shipment the store cannot fulfil is rejected with a reason: it leaves the queue, its
 * line goes to the Warehouse, and Store Mitte's count says one unit less.
 *
 * The orders are made through WooCommerce as checkout and payment leave them (the line's location,
 * paid), so this test does not depend on the checkout's routing.
 */
import { assert, until } from './lib/harness.mjs';

const openShipments = async ( ctx ) => {
	const s = await ctx.terminal( 'cashier' );
	await s.page.click( '.omnistock-pos__shipments-button' );
	await s.page.waitForSelector(
		'.omnistock-pos__shipments .omnistock-pos__pickups-columns'
	);
	return s;
};

const card = ( page, order ) =>
	page.locator( `.omnistock-pos__shipment[data-order="${ order }"]` );

export const tests = [
	[
		'shipments: an order routed to the store shows with its pick list and bin; picked, packed with a packing slip, shipped with tracking (e-mailed); the order completes and the units leave once',
		async ( ctx ) => {
			const { mug } = ctx.seed.products;
			const store = ctx.seed.store;
			const before = ctx.site( 'stock', mug.id, store );
			const { page } = await openShipments( ctx );

			// Made after the view opened: the poll brings it in.
			const order = ctx.site( 'ship-order', mug.id, store, 2, 'A-03-2' );
			const c = card( page, order.id );
			await c.waitFor( { timeout: 20000 } );
			assert.equal( await c.getAttribute( 'data-status' ), 'new' );
			const text = await c.textContent();
			assert.ok( text.includes( '2 × Enamel mug' ), text );
			assert.ok(
				text.includes( 'Bin A-03-2' ),
				`the bin on the pick list: ${ text }`
			);
			assert.equal(
				await page
					.locator(
						`.omnistock-pos__shipments-pick [data-order="${ order.id }"]`
					)
					.count(),
				1,
				'new shipments are to pick'
			);
			await ctx.screenshot( page, 'shipments' );

			await c.locator( '.omnistock-pos__shipment-picked' ).click();
			await until(
				async () =>
					( await c.getAttribute( 'data-status' ) ) === 'picked',
				'picked'
			);
			await c.locator( '.omnistock-pos__shipment-packed' ).click();
			const slip = page.locator( '.omnistock-pos__slip' );
			await slip.waitFor( { timeout: 10000 } );
			const slipText = await slip.textContent();
			for ( const part of [
				'Grace Hopper',
				'Torstr. 5',
				'10119 Berlin',
				'Enamel mug',
				'BR-MUG',
				'Store Mitte',
			] ) {
				assert.ok(
					slipText.includes( part ),
					`the slip says ${ part }: ${ slipText }`
				);
			}
			await until(
				async () =>
					( await c.getAttribute( 'data-status' ) ) === 'packed',
				'packed'
			);
			await ctx.screenshot( page, 'shipments-slip' );
			await page.evaluate( () => {
				window.omnistockPrinted = 0;
				window.print = () => {
					window.omnistockPrinted++;
				};
			} );
			await slip.locator( '.omnistock-pos__slip-print' ).click();
			assert.equal(
				await page.evaluate( () => window.omnistockPrinted ),
				1,
				'Print asks the browser to print'
			);
			const printed = await page.evaluate( () => {
				const visible = ( selector ) =>
					getComputedStyle( document.querySelector( selector ) )
						.visibility;
				return [
					visible( '.omnistock-pos__slip' ),
					visible( '.omnistock-pos__shipments-pick' ),
				];
			} );
			assert.deepEqual(
				printed,
				[ 'visible', 'visible' ],
				'on screen both show'
			);
			await page.emulateMedia( { media: 'print' } );
			const onPaper = await page.evaluate( () => {
				const visible = ( selector ) =>
					getComputedStyle( document.querySelector( selector ) )
						.visibility;
				return [
					visible( '.omnistock-pos__slip-to' ),
					visible( '.omnistock-pos__shipments-pick' ),
				];
			} );
			await page.emulateMedia( { media: 'screen' } );
			assert.deepEqual(
				onPaper,
				[ 'visible', 'hidden' ],
				'on paper only the slip'
			);
			await slip.locator( 'button', { hasText: 'Close' } ).click();

			await c.locator( '.omnistock-pos__shipment-ship' ).click();
			await c.locator( '.omnistock-pos__shipment-carrier' ).fill( 'DHL' );
			await c
				.locator( '.omnistock-pos__shipment-tracking' )
				.fill( 'JJD000390007' );
			await ctx.screenshot( page, 'shipments-ship' );
			await c.locator( 'button[type="submit"]' ).click();
			await until(
				async () => ( await card( page, order.id ).count() ) === 0,
				'shipped: off the queue'
			);
			assert.equal(
				ctx.site( 'order', order.id ).status,
				'completed',
				'its only shipment shipped'
			);
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
			await until(
				async () =>
					ctx
						.mails()
						.some(
							( m ) =>
								/has shipped/.test( m.subject ) &&
								m.message.includes( 'JJD000390007' )
						),
				'the shopper is e-mailed the tracking number'
			);
		},
	],
	[
		"shipments: a shipment the store cannot fulfil is rejected with a reason, re-routed to the Warehouse, and the store's count corrected",
		async ( ctx ) => {
			const { teapot } = ctx.seed.products;
			const store = ctx.seed.store;
			const warehouse = ctx.seed.warehouse;
			const before = ctx.site( 'stock', teapot.id, store );
			const there = ctx.site( 'stock', teapot.id, warehouse );
			const order = ctx.site( 'ship-order', teapot.id, store, 1 );
			const { page } = await openShipments( ctx );
			const c = card( page, order.id );
			await c.waitFor( { timeout: 20000 } );
			await c.locator( '.omnistock-pos__shipment-reject' ).click();
			await c
				.locator( '.omnistock-pos__shipment-reason' )
				.fill( 'damaged' );
			await c.locator( 'button[type="submit"]' ).click();
			await until(
				async () => ( await card( page, order.id ).count() ) === 0,
				"rejected: off the store's queue"
			);
			const details = ctx.site( 'order', order.id );
			assert.equal(
				details.status,
				'processing',
				JSON.stringify( details )
			);
			assert.equal(
				String( details.items[ 0 ].location ),
				String( warehouse ),
				're-routed to the Warehouse'
			);
			const after = ctx.site( 'stock', teapot.id, store );
			assert.equal(
				after.on_hand,
				before.on_hand - 1,
				'Store Mitte counted one less'
			);
			assert.equal(
				after.sellable,
				before.sellable - 1,
				'one unit less for sale there: the commitment went with the line'
			);
			assert.equal(
				ctx.site( 'stock', teapot.id, warehouse ).sellable,
				there.sellable - 1,
				'committed at the Warehouse now'
			);
		},
	],
];

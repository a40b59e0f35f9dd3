/**
 * A pickup whose units are sent from another location (issue 15): the desk shows "Arriving from
 * Warehouse" and no "Mark ready" until the cashier taps "Received"; then the units and their
 * commitment are at the store (the Warehouse's on_hand went down, the store's up, neither's sellable
 * moved by the transfer) and the order can be made ready.
 *
 * The order is made through WooCommerce as a transfer checkout leaves it (the store in
 * Meta::PICKUP_LOCATION, the Warehouse in Meta::PICKUP_SOURCE and on the line, paid).
 */
import { assert, until } from './lib/harness.mjs';

export const tests = [
	[
		'pickup desk: an order arriving from the Warehouse shows where from, is received with one tap, and only then can be marked ready',
		async ( ctx ) => {
			const { mug } = ctx.seed.products;
			const { store, warehouse } = ctx.seed;
			const here = ctx.site( 'stock', mug.id, store );
			const there = ctx.site( 'stock', mug.id, warehouse );
			const order = ctx.site(
				'transfer-order',
				mug.id,
				store,
				warehouse,
				2
			);
			assert.equal(
				ctx.site( 'stock', mug.id, warehouse ).sellable,
				there.sellable - 2,
				'committed at the Warehouse'
			);

			const s = await ctx.terminal( 'cashier' );
			await s.page.click( '.omnistock-pos__pickups-button' );
			const c = s.page.locator(
				`.omnistock-pos__pickup[data-order="${ order.id }"]`
			);
			await c.waitFor( { timeout: 15000 } );
			assert.ok(
				(
					await c
						.locator( '.omnistock-pos__pickup-transfer' )
						.textContent()
				).includes( 'Arriving from Warehouse' ),
				'where the units come from'
			);
			assert.equal(
				await c.locator( '.omnistock-pos__pickup-ready' ).count(),
				0,
				'no "Mark ready" before the units are here'
			);
			await ctx.screenshot( s.page, 'pickups-transfer' );

			await c.locator( '.omnistock-pos__pickup-received' ).click();
			await c
				.locator( '.omnistock-pos__pickup-ready' )
				.waitFor( { timeout: 10000 } );
			assert.equal(
				await c.locator( '.omnistock-pos__pickup-transfer' ).count(),
				0,
				'no longer arriving'
			);
			const hereAfter = ctx.site( 'stock', mug.id, store );
			const thereAfter = ctx.site( 'stock', mug.id, warehouse );
			assert.equal(
				hereAfter.on_hand,
				here.on_hand + 2,
				'the units reached the store'
			);
			assert.equal(
				thereAfter.on_hand,
				there.on_hand - 2,
				'and left the Warehouse'
			);
			assert.equal(
				hereAfter.sellable,
				here.sellable,
				'committed at the store: not for sale there'
			);
			assert.equal(
				thereAfter.sellable,
				there.sellable - 2,
				'the Warehouse sold the two units to the order, no more'
			);

			await c.locator( '.omnistock-pos__pickup-ready' ).click();
			await until(
				async () =>
					( await c.getAttribute( 'data-status' ) ) === 'ready',
				'marked ready after it was received'
			);
		},
	],
];

/**
 * Ship from store (issue 16): an online order routed at checkout shows its location in the order
 * screen's "Ships from" box; the shop manager picks another location for the line and updates the
 * order: the box shows the new location and the line's commitment moved there (sellable down there,
 * up where it was; no units moved between shelves).
 */
import { assert, until } from './lib/harness.mjs';

export const tests = [
	[
		'order screen: the Ships from box shows where a line ships from, and re-routes it on Update',
		async ( ctx ) => {
			const { mug } = ctx.seed.products;
			const { store, warehouse } = ctx.seed;
			const order = ctx.site( 'routed-order', mug.id, 1 );
			assert.ok(
				[ store, warehouse ].includes( order.location ),
				`routed to a location that ships: ${ order.location }`
			);
			const other = order.location === store ? warehouse : store;
			const names = {
				[ store ]: 'Store Mitte',
				[ warehouse ]: 'Warehouse',
			};
			const from = ctx.site( 'stock', mug.id, order.location );
			const to = ctx.site( 'stock', mug.id, other );

			const { page } = await ctx.session( 'admin' );
			await page.goto( order.edit );
			const box = page.locator( '#omnistock-route' );
			await box.waitFor();
			const cell = box.locator(
				`tr[data-item="${ order.item }"] .omnistock-route-from`
			);
			assert.equal(
				( await cell.textContent() ).trim(),
				names[ order.location ],
				'the box names the routed location'
			);
			await box
				.locator( `select[name="omnistock_route[${ order.item }]"]` )
				.selectOption( String( other ) );
			await box.scrollIntoViewIfNeeded();
			await ctx.screenshot( page, 'order-ships-from' );

			await Promise.all( [
				page.waitForNavigation(),
				page.locator( 'button.save_order' ).first().click(),
			] );
			await until(
				async () =>
					(
						await page
							.locator(
								`#omnistock-route tr[data-item="${ order.item }"] .omnistock-route-from`
							)
							.textContent()
					).trim() === names[ other ],
				'the box shows the new location'
			);
			const line = ctx.site( 'order', order.id ).items[ 0 ];
			assert.equal( Number( line.location ), other, 'the line names it' );
			assert.equal(
				ctx.site( 'stock', mug.id, other ).sellable,
				to.sellable - 1,
				'committed at the new location'
			);
			assert.equal(
				ctx.site( 'stock', mug.id, order.location ).sellable,
				from.sellable + 1,
				'and no longer where it was'
			);
			assert.equal(
				ctx.site( 'stock', mug.id, order.location ).on_hand,
				from.on_hand,
				'no units moved between shelves'
			);
		},
	],
];

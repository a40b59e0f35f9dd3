/**
 * Offline: with the network cut, two sales wait in IndexedDB (the badge counts them); back online,
 * each is sent exactly once with its uuid and original time: two orders, stock right.
 */
import { assert } from './lib/harness.mjs';

export const tests = [
	[
		'offline: network blocked, sell twice, restore: exactly two orders, each once, with their original time; stock right',
		async ( ctx ) => {
			// A taxed product (19 %) and a zero-rate one: the estimate made offline uses the rate of the
			// tax class seen in an earlier quote, so the cash taken covers the server's total.
			const { mug: taxed, poster: zero } = ctx.seed.products;
			const store = ctx.seed.store;
			const before = {
				taxed: ctx.site( 'stock', taxed.id, store ),
				zero: ctx.site( 'stock', zero.id, store ),
			};
			const ordersBefore = ctx.site( 'pos-orders' ).length;
			const { context, page } = await ctx.terminal( 'cashier' );
			await ctx.goOffline( context, page, taxed );

			const totals = [];
			const sell = async ( product, tendered ) => {
				await ctx.scan( page, product.barcode );
				await page.waitForSelector(
					`.omnistock-pos__line[data-product="${ product.id }"]`
				);
				await page.waitForSelector(
					'.omnistock-pos__totals[data-estimate="yes"]'
				);
				totals.push(
					await page
						.locator( '.omnistock-pos__totals .total' )
						.getAttribute( 'data-total' )
				);
				const uuid = await ctx.payCash( page, tendered );
				await page.click( '.omnistock-pos__next' );
				return uuid;
			};
			const first = await sell( taxed, '20' );
			await page.waitForSelector(
				'.omnistock-pos__waiting[data-waiting="1"]'
			);
			const second = await sell( zero, '20' );
			await page.waitForSelector(
				'.omnistock-pos__waiting[data-waiting="2"]'
			);
			assert.notEqual( first, second );
			assert.deepEqual(
				totals,
				[ '14.88', '15.00' ],
				'offline estimates: 12.50 + 19 %, 15.00 at zero rate'
			);
			await ctx.screenshot( page, 'offline-queue' );
			const queued = await page.evaluate(
				() =>
					new Promise( ( resolve ) => {
						const open = indexedDB.open( 'omnistock-pos' );
						open.onsuccess = () => {
							open.result
								.transaction( 'queue' )
								.objectStore( 'queue' )
								.getAll().onsuccess = ( e ) =>
								resolve(
									e.target.result.map( ( r ) => r.sale )
								);
						};
					} )
			);
			assert.deepEqual(
				queued.map( ( s ) => s.id ),
				[ first, second ],
				'kept in IndexedDB, in order'
			);
			assert.equal(
				ctx.site( 'pos-orders' ).length,
				ordersBefore,
				'nothing reached the server yet'
			);
			await new Promise( ( r ) => setTimeout( r, 500 ) );

			const backOnline = Date.now();
			await context.setOffline( false );
			await page.waitForSelector(
				'.omnistock-pos__waiting[data-waiting="0"]',
				{ timeout: 30000 }
			);
			// Let the timer run once more too: it must not send anything again.
			await new Promise( ( r ) => setTimeout( r, 11000 ) );

			const orders = ctx.site( 'pos-orders' );
			assert.equal(
				orders.length,
				ordersBefore + 2,
				'exactly two new orders'
			);
			for ( const [ uuid, product, sent ] of [
				[ first, taxed, queued[ 0 ] ],
				[ second, zero, queued[ 1 ] ],
			] ) {
				assert.equal(
					orders.filter( ( o ) => o.sale === uuid ).length,
					1,
					`sale ${ uuid } once`
				);
				const sale = ctx.site( 'sale', uuid );
				assert.equal( sale.order.status, 'completed' );
				assert.equal(
					Number( sale.order.total ).toFixed( 2 ),
					sent.payments[ 0 ].amount,
					'the server’s total is what was taken'
				);
				assert.equal( sale.ledger.length, 1 );
				assert.equal(
					Number( sale.ledger[ 0 ].at ),
					sent.at,
					'the ledger has the sale’s own time'
				);
				assert.ok( sent.at < backOnline, 'made while offline' );
				assert.equal(
					Number( sale.ledger[ 0 ].product_id ),
					product.id
				);
			}
			for ( const [ key, product ] of [
				[ 'taxed', taxed ],
				[ 'zero', zero ],
			] ) {
				const now = ctx.site( 'stock', product.id, store );
				assert.equal(
					now.on_hand,
					before[ key ].on_hand - 1,
					`${ key } on_hand`
				);
				assert.equal(
					Number( now.wc_stock ),
					now.online,
					`${ key } _stock`
				);
			}
		},
	],
	[
		'a sale whose answer is lost (the server made it, the connection dropped) is sent again with its uuid: still one order, stock moved once',
		async ( ctx ) => {
			const { notebook } = ctx.seed.products;
			const store = ctx.seed.store;
			const before = ctx.site( 'stock', notebook.id, store );
			const ordersBefore = ctx.site( 'pos-orders' ).length;
			const { page } = await ctx.terminal( 'cashier' );
			let dropped = 0;
			await page.route(
				( url ) => /pos(\/|%2F)sales/i.test( url.toString() ),
				async ( route ) => {
					if (
						route.request().method() === 'POST' &&
						dropped === 0
					) {
						dropped++;
						await route.fetch(); // The server gets it and answers…
						await route.abort( 'connectionreset' ); // …the answer never arrives.
					} else {
						await route.continue();
					}
				}
			);
			await ctx.scan( page, notebook.barcode );
			await page.waitForSelector(
				'.omnistock-pos__totals[data-estimate="no"]'
			);
			await page.click( '.omnistock-pos__pay' );
			await page.fill( 'input[aria-label="Cash tendered"]', '20' );
			await page.click( '.omnistock-pos__complete' );
			const done = page.locator( '.omnistock-pos__done' );
			await done.waitFor();
			const uuid = await done.getAttribute( 'data-sale' );
			assert.equal( dropped, 1 );
			await page.waitForSelector(
				'.omnistock-pos__waiting[data-waiting="0"]',
				{ timeout: 30000 }
			);
			const sale = ctx.site( 'sale', uuid );
			assert.equal( sale.orders.length, 1, 'one order for the uuid' );
			assert.equal(
				ctx.site( 'pos-orders' ).length,
				ordersBefore + 1,
				'one new POS order in all'
			);
			assert.equal( sale.ledger.length, 1 );
			assert.equal(
				ctx.site( 'stock', notebook.id, store ).on_hand,
				before.on_hand - 1
			);
		},
	],
];

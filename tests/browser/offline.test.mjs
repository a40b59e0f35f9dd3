/**
 * Offline: with the network cut, two sales wait in IndexedDB (the badge counts them); back online,
 * each is sent exactly once with its uuid and original time: two orders, stock right.
 */
import { assert, until } from './lib/harness.mjs';

export const tests = [
	[
		'offline: network blocked, sell twice, restore: exactly two orders, each once, with their original time; stock right',
		async ( ctx ) => {
			const { candle, poster } = ctx.seed.products;
			const store = ctx.seed.store;
			const before = { candle: ctx.site( 'stock', candle.id, store ), poster: ctx.site( 'stock', poster.id, store ) };
			const ordersBefore = ctx.site( 'pos-orders' ).length;
			const { context, page } = await ctx.terminal( 'cashier' );
			await context.setOffline( true );
			await page.waitForSelector( '.omnistock-pos__net.is-offline' );

			const sell = async ( product, tendered ) => {
				await ctx.scan( page, product.barcode );
				await page.waitForSelector( `.omnistock-pos__line[data-product="${ product.id }"]` );
				await page.waitForSelector( '.omnistock-pos__totals[data-estimate="yes"]' );
				await page.click( '.omnistock-pos__pay' );
				await page.fill( 'input[aria-label="Cash tendered"]', tendered );
				await page.click( '.omnistock-pos__complete' );
				await page.waitForSelector( '.omnistock-pos__done' );
				const uuid = await page.locator( '.omnistock-pos__done' ).getAttribute( 'data-sale' );
				await page.click( '.omnistock-pos__next' );
				return uuid;
			};
			const first = await sell( candle, '10' );
			await page.waitForSelector( '.omnistock-pos__waiting[data-waiting="1"]' );
			const second = await sell( poster, '20' );
			await page.waitForSelector( '.omnistock-pos__waiting[data-waiting="2"]' );
			assert.notEqual( first, second );
			await ctx.screenshot( page, 'offline-queue' );
			const queued = await page.evaluate(
				() =>
					new Promise( ( resolve ) => {
						const open = indexedDB.open( 'omnistock-pos' );
						open.onsuccess = () => {
							open.result.transaction( 'queue' ).objectStore( 'queue' ).getAll().onsuccess = ( e ) => resolve( e.target.result.map( ( r ) => r.sale ) );
						};
					} )
			);
			assert.deepEqual( queued.map( ( s ) => s.id ), [ first, second ], 'kept in IndexedDB, in order' );
			assert.equal( ctx.site( 'pos-orders' ).length, ordersBefore, 'nothing reached the server yet' );
			await new Promise( ( r ) => setTimeout( r, 500 ) );

			const backOnline = Date.now();
			await context.setOffline( false );
			await page.waitForSelector( '.omnistock-pos__waiting[data-waiting="0"]', { timeout: 30000 } );
			// Let the timer run once more too: it must not send anything again.
			await new Promise( ( r ) => setTimeout( r, 11000 ) );

			const orders = ctx.site( 'pos-orders' );
			assert.equal( orders.length, ordersBefore + 2, 'exactly two new orders' );
			for ( const [ uuid, product, sent ] of [ [ first, candle, queued[ 0 ] ], [ second, poster, queued[ 1 ] ] ] ) {
				assert.equal( orders.filter( ( o ) => o.sale === uuid ).length, 1, `sale ${ uuid } once` );
				const sale = ctx.site( 'sale', uuid );
				assert.equal( sale.order.status, 'completed' );
				assert.equal( sale.ledger.length, 1 );
				assert.equal( Number( sale.ledger[ 0 ].at ), sent.at, 'the ledger has the sale’s own time' );
				assert.ok( sent.at < backOnline, 'made while offline' );
				assert.equal( Number( sale.ledger[ 0 ].product_id ), product.id );
			}
			for ( const [ key, product ] of [ [ 'candle', candle ], [ 'poster', poster ] ] ) {
				const now = ctx.site( 'stock', product.id, store );
				assert.equal( now.on_hand, before[ key ].on_hand - 1, `${ key } on_hand` );
				assert.equal( Number( now.wc_stock ), now.online, `${ key } _stock` );
			}
		},
	],
];

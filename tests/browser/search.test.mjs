/**
 * Search timing on a catalogue of 10,000 generated products: from the keystroke (keydown) to the
 * results in the page (the list's committed query, then the next frame), every keystroke of several
 * queries; the median must be under 100 ms.
 */
import { assert } from './lib/harness.mjs';

const median = ( xs ) => {
	const s = [ ...xs ].sort( ( a, b ) => a - b );
	return s.length % 2
		? s[ ( s.length - 1 ) / 2 ]
		: ( s[ s.length / 2 - 1 ] + s[ s.length / 2 ] ) / 2;
};

export const tests = [
	[
		'search on 10,000 products: results within 100 ms of the keystroke (median)',
		async ( ctx ) => {
			const generated = ctx.site( 'generate', 10000 );
			console.log(
				`     generated ${ generated.generated } products in ${ generated.seconds } s`
			);
			const t0 = Date.now();
			const { page } = await ctx.terminal( 'cashier' );
			console.log(
				`     terminal with the catalogue loaded in ${ (
					( Date.now() - t0 ) /
					1000
				).toFixed( 1 ) } s`
			);
			const size = await page.evaluate(
				() =>
					document.querySelectorAll( '.omnistock-pos__search-input' )
						.length
			);
			assert.equal( size, 1 );

			await page.evaluate( () => {
				const list = document.querySelector(
					'.omnistock-pos__results'
				);
				window.__timing = { down: [], dom: [], frame: [] };
				document.addEventListener(
					'keydown',
					() => window.__timing.down.push( performance.now() ),
					true
				);
				new MutationObserver( () => {
					const t = performance.now();
					window.__timing.dom.push( t );
					requestAnimationFrame( () =>
						window.__timing.frame.push( performance.now() )
					);
				} ).observe( list, {
					attributes: true,
					attributeFilter: [ 'data-query' ],
				} );
			} );
			const queries = [
				'oak',
				'linen vase',
				'GEN-0421',
				'2900000007',
				'copper clock 09',
				'steel stool',
				'zzz',
				'basket 1',
			];
			for ( const q of queries ) {
				await page.fill( '.omnistock-pos__search-input', '' );
				await page.evaluate( () => {
					window.__timing.down.length = 0;
					window.__timing.dom.length = 0;
					window.__timing.frame.length = 0;
				} );
				await page.type( '.omnistock-pos__search-input', q, {
					delay: 60,
				} );
				await page.waitForFunction(
					( query ) =>
						document.querySelector( '.omnistock-pos__results' )
							.dataset.query === query,
					q
				);
				await page.waitForTimeout( 50 );
				const t = await page.evaluate( () => window.__timing );
				assert.equal(
					t.down.length,
					q.length,
					`one keydown per character of “${ q }”`
				);
				assert.equal(
					t.dom.length,
					q.length,
					`one render per character of “${ q }”`
				);
				for ( let i = 0; i < q.length; i++ ) {
					( ctx.searchDom ||= [] ).push( t.dom[ i ] - t.down[ i ] );
					( ctx.searchFrame ||= [] ).push(
						t.frame[ i ] - t.down[ i ]
					);
				}
				if ( q === 'GEN-0421' ) {
					const skus = await page
						.locator( '.omnistock-pos__result-sku' )
						.allTextContents();
					assert.ok(
						skus.length === 10 &&
							skus.every( ( s ) => s.startsWith( 'GEN-0421' ) ),
						`GEN-04210…GEN-04219: ${ skus }`
					);
				}
				if ( q === 'zzz' ) {
					assert.equal(
						await page.locator( '.omnistock-pos__result' ).count(),
						0
					);
				}
				if ( q === 'linen vase' ) {
					await ctx.screenshot( page, 'search-10k' );
					const names = await page
						.locator( '.omnistock-pos__result-name' )
						.allTextContents();
					assert.ok(
						names.length > 0 &&
							names.every(
								( n ) => /linen/i.test( n ) && /vase/i.test( n )
							),
						'every result matches both words'
					);
				}
			}
			const dom = median( ctx.searchDom );
			const frame = median( ctx.searchFrame );
			console.log(
				`     ${
					ctx.searchDom.length
				} keystrokes on 10,000+ products: median keystroke → results in the DOM ${ dom.toFixed(
					1
				) } ms, → next frame ${ frame.toFixed(
					1
				) } ms (max ${ Math.max( ...ctx.searchFrame ).toFixed(
					1
				) } ms)`
			);
			assert.ok( frame < 100, `median ${ frame } ms` );
		},
	],
];

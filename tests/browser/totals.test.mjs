/** For the same cart, the POS total is WooCommerce's own computation (coupon and tax included). */
import { assert } from './lib/harness.mjs';

export const tests = [
	[
		'totals with a coupon and tax equal WooCommerce’s computation for the same cart (screen and /pos/quote)',
		async ( ctx ) => {
			const { mug, candle, notebook } = ctx.seed.products;
			const { page } = await ctx.terminal( 'cashier' );
			// Mixed tax classes (19 % and zero rate), quantities, a percent coupon: built on the screen.
			await ctx.scan( page, mug.barcode );
			await ctx.scan( page, mug.barcode );
			await ctx.scan( page, candle.barcode );
			await ctx.scan( page, notebook.sku );
			await page.waitForSelector(
				`.omnistock-pos__line[data-product="${ notebook.id }"]`
			);
			await page.fill( 'input[aria-label="Coupon code"]', 'TENOFF' );
			await page.click( 'text=Apply coupon' );
			await page.waitForSelector( '.omnistock-pos__totals .coupon-row' );
			const lines = [
				{ product: mug.id, qty: 2 },
				{ product: candle.id, qty: 1 },
				{ product: notebook.id, qty: 1 },
			];
			const wc = ctx.site(
				'wc-total',
				JSON.stringify( { lines, coupons: [ 'TENOFF' ] } )
			);
			assert.ok(
				Number( wc.tax ) > 0 && Number( wc.discount ) > 0,
				`the cart has tax and a discount: ${ JSON.stringify( wc ) }`
			);
			const shown = await page
				.locator( '.omnistock-pos__totals .total' )
				.getAttribute( 'data-total' );
			assert.equal( shown, wc.total, 'the screen' );
			assert.match(
				await page
					.locator( '.omnistock-pos__totals .tax' )
					.textContent(),
				new RegExp( wc.tax.replace( '.', '[.,]' ) )
			);

			// The same through the route, with a fixed-cart coupon too.
			const nonce = await ctx.nonce( page );
			for ( const coupons of [
				[ 'TENOFF' ],
				[ 'FIVE' ],
				[ 'FIVE', 'TENOFF' ],
			] ) {
				const want = ctx.site(
					'wc-total',
					JSON.stringify( { lines, coupons } )
				);
				const { status, body } = await ctx.call(
					page,
					'POST',
					'/pos/quote',
					{ location: ctx.seed.store, lines, coupons },
					nonce
				);
				assert.equal( status, 200, JSON.stringify( body ) );
				for ( const field of [
					'subtotal',
					'discount',
					'tax',
					'total',
				] ) {
					assert.equal(
						body[ field ],
						want[ field ],
						`${ coupons.join( '+' ) }: ${ field }`
					);
				}
			}
			// A coupon that does not exist is refused, naming it.
			const bad = await ctx.call(
				page,
				'POST',
				'/pos/quote',
				{ location: ctx.seed.store, lines, coupons: [ 'NOSUCH' ] },
				nonce
			);
			assert.equal( bad.status, 400 );
			assert.match( JSON.stringify( bad.body ), /nosuch/i );
		},
	],
];

/**
 * A terminal left open longer than the wp_rest nonce lives (12-24 h): the next call is refused
 * with rest_cookie_invalid_nonce, the app fetches a fresh nonce and the call goes through, so a
 * sale (and the offline queue behind it) is not rejected for a stale nonce.
 */
import { assert } from './lib/harness.mjs';

export const tests = [
	[
		'a stale REST nonce is refreshed: the sale goes through, once',
		async ( ctx ) => {
			const { page } = await ctx.terminal( 'cashier' );
			const { mug } = ctx.seed.products;
			const before = ctx.site( 'stock', mug.id, ctx.seed.store );
			// What the nonce middleware holds after a day: a nonce WordPress no longer accepts.
			await page.evaluate( () => {
				window.wp.apiFetch.nonceMiddleware.nonce = '0123456789';
			} );
			await ctx.scan( page, mug.barcode );
			await page.waitForSelector(
				`.omnistock-pos__line[data-product="${ mug.id }"]`
			);
			// WooCommerce's totals arrive: the quote went through with the fresh nonce.
			await page.waitForSelector(
				'.omnistock-pos__totals .total[data-total]'
			);
			const uuid = await ctx.payCash( page, '20' );
			assert.notEqual(
				await page.evaluate(
					() => window.wp.apiFetch.nonceMiddleware.nonce
				),
				'0123456789',
				'the app holds a fresh nonce'
			);
			assert.equal(
				await page
					.locator( '.omnistock-pos__waiting' )
					.getAttribute( 'data-waiting' ),
				'0',
				'nothing left waiting'
			);
			const server = ctx.site( 'sale', uuid );
			assert.equal( server.orders.length, 1, 'one order' );
			const after = ctx.site( 'stock', mug.id, ctx.seed.store );
			assert.equal(
				after.on_hand,
				before.on_hand - 1,
				'on_hand moved once'
			);
		},
	],
];

/**
 * The cashier's login is lost while sales wait offline (the auth cookie expired): when the network
 * returns, WordPress refuses the queued sale for want of a login. That is not the server deciding
 * about the sale: it stays waiting (not "rejected"), and once the cashier is logged in again it is
 * sent, once.
 */
import { assert, until } from './lib/harness.mjs';

export const tests = [
	[
		'a login lost while a sale waited offline: the sale keeps waiting, then is sent once after logging in again',
		async ( ctx ) => {
			const { poster } = ctx.seed.products;
			const ordersBefore = ctx.site( 'pos-orders' ).length;
			const { context, page } = await ctx.terminal( 'cashier' );
			await ctx.goOffline( context, page, poster );
			await ctx.scan( page, poster.barcode );
			await page.waitForSelector(
				'.omnistock-pos__totals[data-estimate="yes"]'
			);
			const uuid = await ctx.payCash( page, '20' );
			await page.click( '.omnistock-pos__next' );
			await page.waitForSelector(
				'.omnistock-pos__waiting[data-waiting="1"]'
			);

			// The login goes; the network comes back: the queue tries, WordPress refuses.
			const cookies = await context.cookies();
			await context.clearCookies();
			const refusal = page.waitForResponse(
				( r ) =>
					r.url().includes( 'pos%2Fsales' ) ||
					r.url().includes( 'pos/sales' )
			);
			await context.setOffline( false );
			const refused = await refusal;
			assert.ok(
				[ 401, 403 ].includes( refused.status() ),
				`refused for want of a login (${ refused.status() })`
			);
			await new Promise( ( r ) => setTimeout( r, 1500 ) );
			assert.equal(
				await page
					.locator( '.omnistock-pos__waiting' )
					.getAttribute( 'data-waiting' ),
				'1',
				'still waiting'
			);
			assert.equal(
				await page.locator( '.omnistock-pos__rejected' ).count(),
				0,
				'not rejected'
			);
			assert.equal(
				ctx.site( 'pos-orders' ).length,
				ordersBefore,
				'no order yet'
			);

			// Logged in again (the cookies back); the next attempt sends it.
			await context.addCookies( cookies );
			await context.setOffline( true );
			await context.setOffline( false );
			await page.waitForSelector(
				'.omnistock-pos__waiting[data-waiting="0"]',
				{ timeout: 30000 }
			);
			await until(
				async () => ctx.site( 'sale', uuid ).orders.length === 1,
				'the sale reached the server'
			);
			const orders = ctx.site( 'pos-orders' );
			assert.equal( orders.length, ordersBefore + 1, 'one new order' );
			assert.equal(
				orders.filter( ( o ) => o.sale === uuid ).length,
				1,
				'the waiting sale, once'
			);
		},
	],
];

/** The same sale uuid posted twice makes one order and moves the stock once. */
import { randomUUID } from 'node:crypto';
import { assert } from './lib/harness.mjs';

export const tests = [
	[
		'the same sale uuid posted twice (REST): one order, the second answer is the first, stock moved once',
		async ( ctx ) => {
			const { page } = await ctx.terminal( 'cashier' );
			const nonce = await ctx.nonce( page );
			const candle = ctx.seed.products.candle;
			const before = ctx.site( 'stock', candle.id, ctx.seed.store );
			const sale = {
				id: randomUUID(),
				location: ctx.seed.store,
				lines: [ { product: candle.id, qty: 2 } ],
				coupons: [],
				customer: null,
				payments: [
					{ method: 'cash', amount: '18.00', tendered: '20.00' },
				],
				at: Date.now(),
			};
			const first = await ctx.call(
				page,
				'POST',
				'/pos/sales',
				sale,
				nonce
			);
			assert.equal( first.status, 201, JSON.stringify( first.body ) );
			assert.equal( first.body.created, true );
			assert.equal( first.body.change, '2.00' );
			const second = await ctx.call(
				page,
				'POST',
				'/pos/sales',
				sale,
				nonce
			);
			assert.equal( second.status, 200, JSON.stringify( second.body ) );
			assert.equal( second.body.created, false );
			assert.equal( second.body.order, first.body.order );
			assert.deepEqual( second.body.totals, first.body.totals );
			const server = ctx.site( 'sale', sale.id );
			assert.deepEqual(
				server.orders,
				[ first.body.order ],
				'exactly one order carries the uuid'
			);
			assert.equal( server.ledger.length, 1, 'one ledger event' );
			assert.equal( Number( server.ledger[ 0 ].qty ), -2 );
			const after = ctx.site( 'stock', candle.id, ctx.seed.store );
			assert.equal(
				after.on_hand,
				before.on_hand - 2,
				'on_hand moved once'
			);
		},
	],
];

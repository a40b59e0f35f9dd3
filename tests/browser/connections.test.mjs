/**
 * External POS connections (issue 17), in the browser: the owner adds a Square connection on
 * Omnistock → Connections (the fake Square of tests/providers/square.php, started here on a port of
 * OMNISTOCK_FAKE_PORT_BASE + 8 and stopped at the end), sees the webhook URL to give Square, maps
 * Store Mitte to Square's location and the product by its SKU (the screen's suggestion), reconciles
 * once (the register's first count, our number pushed), then the register sells two: its signed
 * webhook reaches the site, and the product's stock at Store Mitte drops by two on the Stock screen,
 * by itself through the kick or after "Sync now".
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assert, until } from './lib/harness.mjs';

const here = dirname( fileURLToPath( import.meta.url ) );
const TOKEN = 'EAAA-browser-square-token';
const SECRET = 'browser-square-signature-key';
const SKU = 'BR-SQ-LAMP';

/** Starts the fake Square (its own process group, its state in a new folder); resolves when it answers. */
async function startSquare() {
	const port = Number( process.env.OMNISTOCK_FAKE_PORT_BASE || 26350 ) + 8;
	const state = mkdtempSync( join( tmpdir(), 'omnistock-browser-square-' ) );
	const child = spawn(
		'php',
		[
			'-d',
			`extension=${ process.env.OMNISTOCK_EXTENSION }`,
			'-S',
			`127.0.0.1:${ port }`,
			join( here, '..', 'providers', 'square.php' ),
		],
		{
			detached: true,
			stdio: 'ignore',
			env: {
				...process.env,
				OMNISTOCK_FAKE_STATE: state,
				PHP_CLI_SERVER_WORKERS: '4',
			},
		}
	);
	const url = `http://127.0.0.1:${ port }`;
	const fake = {
		url,
		async control( path, body ) {
			const response = await fetch( url + path, {
				method: body === undefined ? 'GET' : 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify( body ),
			} );
			const text = await response.text();
			assert.equal(
				response.status,
				200,
				`fake Square ${ path }: ${ text }`
			);
			return JSON.parse( text );
		},
		stop() {
			try {
				process.kill( -child.pid, 'SIGTERM' );
			} catch ( e ) {}
			rmSync( state, { recursive: true, force: true } );
		},
	};
	try {
		await until(
			async () => {
				try {
					await fake.control( '/_fake/stock' );
					return true;
				} catch ( e ) {
					return false;
				}
			},
			`the fake Square on port ${ port }`,
			20000
		);
	} catch ( e ) {
		fake.stop();
		throw e;
	}
	return fake;
}

/** The notice the screen shows after a form. */
async function notice( page ) {
	return ( await page.locator( '.wrap .notice' ).first().textContent() )
		.replace( /\s+/g, ' ' )
		.trim();
}

/** On hand at Store Mitte as the Stock screen's cell shows it ("on hand / committed / ..."). */
async function stockScreenOnHand( ctx, page, product ) {
	await page.goto(
		`${ ctx.base }/wp-admin/admin.php?page=omnistock-stock&paged=1`
	);
	const cell = page.locator(
		`a[href*="product=${ product }&location=${ ctx.seed.store }"], a[href*="product=${ product }&#038;location=${ ctx.seed.store }"]`
	);
	if ( ( await cell.count() ) === 0 ) {
		return null;
	}
	return Number( ( await cell.first().textContent() ).split( '/' )[ 0 ] );
}

export const tests = [
	[
		'connections: the owner adds a Square connection, maps Store Mitte and a product by its SKU; a sale on the register lowers the stock here',
		async ( ctx ) => {
			const store = ctx.seed.store;
			const lamp = ctx.site(
				'counted-product',
				'Brass desk lamp',
				SKU,
				store,
				6
			).id;
			const square = await startSquare();
			try {
				await square.control( '/_fake/config', {
					token: TOKEN,
					secret: SECRET,
				} );
				// Square's catalogue: the lamp's variation (with our SKU), and a gift card without a SKU.
				await square.control( '/_fake/stock', {
					item: 'V-LAMP',
					location: 'L-MITTE',
					quantity: 4,
					sku: SKU,
					name: 'Desk lamp',
				} );
				await square.control( '/_fake/stock', {
					item: 'V-GIFT',
					location: 'L-MITTE',
					quantity: 50,
					name: 'Gift card',
				} );

				const { page } = await ctx.session( 'admin' );
				await page.goto(
					`${ ctx.base }/wp-admin/admin.php?page=omnistock-connections`
				);
				await page.selectOption( '#omnistock-provider', 'square' );
				await page.fill( '#omnistock-c-name', 'Front register' );
				await page.fill( '#omnistock-c-api_base', square.url );
				await page.fill( '#omnistock-c-access_token', TOKEN );
				await page.fill( '#omnistock-c-secret', SECRET );
				await ctx.screenshot( page, 'connections-add' );
				await Promise.all( [
					page.waitForNavigation(),
					page.click( '#omnistock-connection-add [type="submit"]' ),
				] );
				assert.match(
					await notice( page ),
					/Connection added\. Give the provider this webhook URL: \S*omnistock\/v1\/hooks\/\d+/
				);
				const id = Number(
					new URL( page.url() ).searchParams.get( 'connection' )
				);
				assert.ok( id > 0, page.url() );
				const hook = (
					await page
						.locator( 'p:has-text("Webhook URL:") code' )
						.first()
						.textContent()
				).trim();
				assert.match(
					hook,
					new RegExp( `omnistock/v1/hooks/${ id }$` )
				);
				assert.equal(
					( await page.content() ).includes( TOKEN ) ||
						( await page.content() ).includes( SECRET ),
					false,
					'no secret on the page'
				);
				// The owner gives Square the URL (here: the fake's config).
				await square.control( '/_fake/config', { webhook_url: hook } );

				// Store Mitte is Square's L-MITTE.
				await page.fill(
					`#omnistock-connection-locations input[name="external[${ store }]"]`,
					'L-MITTE'
				);
				await Promise.all( [
					page.waitForNavigation(),
					page.click(
						'#omnistock-connection-locations [type="submit"]'
					),
				] );
				assert.match( await notice( page ), /Locations saved/ );

				// The items, suggested by SKU: the lamp is filled in, the gift card (no SKU) is not.
				await Promise.all( [
					page.waitForNavigation(),
					page.click( 'text=suggest matches by SKU' ),
				] );
				assert.match(
					await page.locator( '.wrap' ).textContent(),
					/2 items read from the provider, 1 matched by SKU/
				);
				assert.equal(
					await page
						.locator(
							'tr[data-item="V-LAMP"] input[type="number"]'
						)
						.inputValue(),
					String( lamp )
				);
				assert.equal(
					await page
						.locator(
							'tr[data-item="V-GIFT"] input[type="number"]'
						)
						.inputValue(),
					''
				);
				await page
					.locator( '#omnistock-connection-items' )
					.scrollIntoViewIfNeeded();
				await ctx.screenshot( page, 'connections-suggest' );
				await Promise.all( [
					page.waitForNavigation(),
					page.click( '#omnistock-connection-items [type="submit"]' ),
				] );
				assert.match( await notice( page ), /1 item mapped/ );

				// Reconcile now: the register's first count (4) against our 6; we are the system of
				// record at Store Mitte, so our 6 goes to Square.
				await Promise.all( [
					page.waitForNavigation(),
					page.click(
						'#omnistock-connection-reconcile [type="submit"]'
					),
				] );
				assert.match(
					await notice( page ),
					/Reconciled: 1 counts read, 1 with drift, 1 corrected/
				);
				const counts = ( await square.control( '/_fake/stock' ) ).stock;
				assert.equal(
					counts[ 'V-LAMP\nL-MITTE' ].qty,
					6,
					'our 6 reached the register'
				);
				assert.equal( ctx.site( 'stock', lamp, store ).on_hand, 6 );

				// A sale of two at the register: Square sends its signed webhook to the site.
				const sale = await square.control( '/_fake/sale', {
					item: 'V-LAMP',
					location: 'L-MITTE',
					qty: 2,
				} );
				assert.equal( sale.quantity, 4 );
				assert.equal(
					sale.deliveries[ 0 ].status,
					200,
					'the site took the webhook'
				);
				let byKick = true;
				try {
					await until(
						() => ctx.site( 'stock', lamp, store ).on_hand === 4,
						'the kick to apply the sale',
						5000
					);
				} catch ( e ) {
					byKick = false;
					await page.goto(
						`${ ctx.base }/wp-admin/admin.php?page=omnistock-connections&connection=${ id }`
					);
					await Promise.all( [
						page.waitForNavigation(),
						page.click(
							'#omnistock-connection-sync [type="submit"]'
						),
					] );
					assert.match( await notice( page ), /Synchronised:/ );
				}
				console.log(
					`     (the sale was applied ${
						byKick ? 'by the kick' : 'after Sync now'
					})`
				);
				assert.equal( ctx.site( 'stock', lamp, store ).on_hand, 4 );
				const sold = ctx
					.site( 'ledger-of', lamp, store )
					.filter( ( r ) => r.reason === 'external_sale' );
				assert.deepEqual(
					sold.map( ( r ) => [ r.kind, Number( r.qty ), r.source ] ),
					[ [ 'adjust', -2, 'square' ] ],
					'one adjust of -2 from Square'
				);

				// The connection's page: the webhook and the push are there, nothing is waiting.
				await page.goto(
					`${ ctx.base }/wp-admin/admin.php?page=omnistock-connections&connection=${ id }`
				);
				for ( const row of [ 'last-webhook', 'last-push' ] ) {
					assert.doesNotMatch(
						await page
							.locator( `tr[data-health="${ row }"] td` )
							.textContent(),
						/never/,
						row
					);
				}
				assert.match(
					await page
						.locator( 'tr[data-health="outbox"] td' )
						.textContent(),
					/^0$/
				);
				await ctx.screenshot( page, 'connections-health' );

				// The Stock screen says 4 on hand at Store Mitte.
				const shown = await stockScreenOnHand( ctx, page, lamp );
				if ( shown !== null ) {
					assert.equal( shown, 4, 'the Stock screen' );
				}
				await page.goto(
					`${ ctx.base }/wp-admin/admin.php?page=omnistock-stock&product=${ lamp }&location=${ store }`
				);
				assert.match(
					await page.locator( '.omnistock-ledger' ).textContent(),
					/external_sale|square/i
				);
				await ctx.screenshot( page, 'connections-ledger' );
			} finally {
				square.stop();
			}
		},
	],
];

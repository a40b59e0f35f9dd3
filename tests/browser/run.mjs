/**
 * Runs the browser tests (*.test.mjs here, or the files named) against the site bin/lib/browser.sh
 * started, in Debian's chromium through playwright-core. Ends with "browser: N passed, N failed".
 * A file that exports `stacks` (e.g. ['current']) runs only on those stacks (env OMNISTOCK_STACK,
 * default current): on another it is left out, not counted as skipped.
 */
import { chromium } from 'playwright-core';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { makeContext } from './lib/harness.mjs';

const here = dirname( fileURLToPath( import.meta.url ) );
// The order matters: the search timing generates 10,000 products, so it runs last; the pickup flow
// adds a shipping zone and a pickup store, so it runs after the other checkouts; the connections test
// starts its own fake Square (OMNISTOCK_FAKE_PORT_BASE + 8) and counts a product of its own.
const ORDER = [
	'access',
	'idempotency',
	'nonce',
	'cashier',
	'totals',
	'offline',
	'login',
	'checkout',
	'pickup-flow',
	'connections',
	'search',
];
const files =
	process.argv.length > 2
		? process.argv
				.slice( 2 )
				.map( ( f ) =>
					existsSync( f ) ? resolve( f ) : join( here, f )
				)
		: readdirSync( here )
				.filter( ( f ) => f.endsWith( '.test.mjs' ) )
				.sort(
					( a, b ) =>
						ORDER.indexOf( a.split( '.' )[ 0 ] ) -
						ORDER.indexOf( b.split( '.' )[ 0 ] )
				)
				.map( ( f ) => join( here, f ) );

const browser = await chromium.launch( {
	executablePath: process.env.OMNISTOCK_CHROMIUM || '/usr/bin/chromium',
	args: [
		'--headless=new',
		'--no-sandbox',
		'--disable-gpu',
		'--disable-dev-shm-usage',
	],
} );
const ctx = makeContext( browser );
let passed = 0;
let failed = 0;
const started = Date.now();
const stack = process.env.OMNISTOCK_STACK || 'current';
for ( const file of files ) {
	const { tests, stacks } = await import( pathToFileURL( file ).href );
	if ( stacks && ! stacks.includes( stack ) ) {
		console.log(
			`--   ${ file
				.split( '/' )
				.pop() }: not on the ${ stack } stack (runs on ${ stacks.join(
				', '
			) })`
		);
		continue;
	}
	for ( const [ name, fn ] of tests ) {
		const t0 = Date.now();
		try {
			await fn( ctx );
			passed++;
			console.log(
				`ok   ${ name } (${ ( ( Date.now() - t0 ) / 1000 ).toFixed(
					1
				) }s)`
			);
		} catch ( error ) {
			failed++;
			console.log(
				`FAIL ${ name } (${ ( ( Date.now() - t0 ) / 1000 ).toFixed(
					1
				) }s)\n     ${ String(
					error && error.stack ? error.stack : error
				)
					.split( '\n' )
					.slice( 0, 6 )
					.join( '\n     ' ) }`
			);
		} finally {
			for ( const context of browser.contexts() ) {
				await context.close().catch( () => {} );
			}
		}
	}
}
await browser.close();
console.log(
	`browser: ${ passed } passed, ${ failed } failed (${ (
		( Date.now() - started ) /
		1000
	).toFixed( 0 ) }s; screenshots in ${ ctx.out }/screenshots)`
);
process.exit( failed ? 1 : 0 );

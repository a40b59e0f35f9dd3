/**
 * What every browser test gets: the site's address and seed, logged-in pages, REST calls as a
 * user (cookie + wp_rest nonce, as the app sends them), server-side reads (lib/site.php through
 * PHP with the extension), screenshots, assertions.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const here = dirname( fileURLToPath( import.meta.url ) );
const env = ( name ) => {
	const value = process.env[ name ];
	if ( ! value ) {
		throw new Error( `${ name } is not set (bin/lib/browser.sh sets it)` );
	}
	return value;
};

export { assert };

export const PASSWORDS = {
	admin: 'admin-password',
	cashier: 'cashier-password',
	subscriber: 'subscriber-password',
};

export function makeContext( browser ) {
	const base = env( 'OMNISTOCK_BROWSER_BASE' );
	const out = env( 'OMNISTOCK_BROWSER_OUT' );
	const seed = JSON.parse(
		readFileSync( env( 'OMNISTOCK_BROWSER_SEED' ), 'utf8' )
	);
	const states = new Map();
	mkdirSync( join( out, 'screenshots' ), { recursive: true } );

	const ctx = {
		base,
		out,
		seed,
		browser,
		posUrl: `${ base }/wp-admin/admin.php?page=omnistock-pos`,
		rest: ( route ) =>
			`${ base }/?rest_route=/omnistock/v1${ route.replace( '?', '&' ) }`,

		/** A browser context; logged in as `user` unless null. The terminal starts at `location` if given. */
		async session( user, { location } = {} ) {
			const options = { viewport: { width: 1280, height: 800 } };
			if ( user && states.has( user ) ) {
				options.storageState = states.get( user );
			}
			const context = await browser.newContext( options );
			context.setDefaultTimeout( 15000 );
			if ( location ) {
				await context.addInitScript( ( l ) => {
					if (
						! window.localStorage.getItem(
							'omnistock-pos-location'
						)
					) {
						window.localStorage.setItem(
							'omnistock-pos-location',
							JSON.stringify( l )
						);
					}
				}, location );
			}
			const page = await context.newPage();
			page.on( 'pageerror', ( e ) =>
				console.log(
					`    [page error] ${ e.message } (${ page.url() })`
				)
			);
			if ( user && ! states.has( user ) ) {
				await page.goto( `${ base }/wp-login.php` );
				await page.fill( '#user_login', user );
				await page.fill( '#user_pass', PASSWORDS[ user ] );
				await Promise.all( [
					page.waitForNavigation(),
					page.click( '#wp-submit' ),
				] );
				assert.ok(
					! page.url().includes( 'wp-login.php' ),
					`${ user } could not log in`
				);
				states.set( user, await context.storageState() );
			}
			return { context, page };
		},

		/** The wp_rest nonce of the page's user (admin-ajax's rest-nonce, as api-fetch refreshes it). */
		async nonce( page ) {
			const response = await page.request.get(
				`${ base }/wp-admin/admin-ajax.php?action=rest-nonce`
			);
			return response.ok() ? ( await response.text() ).trim() : '';
		},

		/** A REST call with the page's cookies and nonce: { status, body }. */
		async call( page, method, route, data, nonce ) {
			const headers = { 'Content-Type': 'application/json' };
			if ( nonce ) {
				headers[ 'X-WP-Nonce' ] = nonce;
			}
			const response = await page.request.fetch( ctx.rest( route ), {
				method,
				headers,
				data: data === undefined ? undefined : JSON.stringify( data ),
			} );
			let body = null;
			try {
				body = await response.json();
			} catch ( e ) {
				body = await response.text();
			}
			return { status: response.status(), body };
		},

		/** Server-side read through lib/site.php (see there). */
		site( ...args ) {
			const text = execFileSync(
				'php',
				[
					'-d',
					`extension=${ env( 'OMNISTOCK_EXTENSION' ) }`,
					join( here, 'site.php' ),
					...args.map( String ),
				],
				{
					env: process.env,
					encoding: 'utf8',
					maxBuffer: 64 * 1024 * 1024,
				}
			);
			return JSON.parse( text.trim().split( '\n' ).pop() );
		},

		/** A screenshot under the output folder; also into tests/browser/screenshots/ (what the README shows) when OMNISTOCK_UPDATE_SCREENSHOTS=1. */
		async screenshot( page, name ) {
			const file = join( out, 'screenshots', `${ name }.png` );
			await page.screenshot( { path: file } );
			if ( process.env.OMNISTOCK_UPDATE_SCREENSHOTS === '1' ) {
				const docs = join( here, '..', 'screenshots' );
				mkdirSync( docs, { recursive: true } );
				copyFileSync( file, join( docs, `pos-${ name }.png` ) );
			}
		},

		/** The mails the site "sent" (the test mu-plugin writes them to mail.log). */
		mails() {
			try {
				return readFileSync(
					join( env( 'OMNISTOCK_WP_DIR' ), 'mail.log' ),
					'utf8'
				)
					.trim()
					.split( '\n' )
					.filter( Boolean )
					.map( ( l ) => JSON.parse( l ) );
			} catch ( e ) {
				return [];
			}
		},

		/** Opens the terminal (already at a location) and waits for the catalogue. */
		async terminal( user, location = ctx.storeLocation() ) {
			const s = await ctx.session( user, { location } );
			await s.page.goto( ctx.posUrl );
			await s.page.waitForSelector(
				'.omnistock-pos__search-input:not([disabled])',
				{ timeout: 60000 }
			);
			// React 18 (WordPress 6.2+) mounts with createRoot; WordPress 6.1's React 17 with render().
			const mounted = await s.page
				.locator( '#omnistock-pos' )
				.getAttribute( 'data-mounted-with' );
			assert.equal(
				mounted,
				process.env.OMNISTOCK_STACK === 'oldest'
					? 'render'
					: 'createRoot',
				"the POS app is mounted the way this WordPress's React wants"
			);
			return s;
		},

		storeLocation: () => ( {
			id: seed.store,
			name: 'Store Mitte',
			address: 'Rosenthaler Str. 1\n10119 Berlin',
		} ),

		/**
		 * Quotes `product` once online (so the estimate made offline knows its tax class's rate),
		 * empties the cart again, then cuts the page's network.
		 *
		 * @param {Object} context The browser context.
		 * @param {Object} page    The terminal.
		 * @param {Object} product A seeded product (id, barcode).
		 */
		async goOffline( context, page, product ) {
			await ctx.scan( page, product.barcode );
			await page.waitForSelector(
				'.omnistock-pos__totals[data-estimate="no"]'
			);
			await page
				.locator(
					`.omnistock-pos__line[data-product="${ product.id }"] button[aria-label^="Remove"]`
				)
				.click();
			await page.waitForSelector( '.omnistock-pos__line', {
				state: 'detached',
			} );
			await context.setOffline( true );
			await page.waitForSelector( '.omnistock-pos__net.is-offline' );
		},

		/**
		 * Pays the cart in cash from the keyboard (F9), completes the sale and returns its uuid.
		 *
		 * @param {Object} page     The terminal.
		 * @param {string} tendered Cash handed over.
		 */
		async payCash( page, tendered ) {
			await page.keyboard.press( 'F9' );
			await page.fill( 'input[aria-label="Cash tendered"]', tendered );
			await page.click( '.omnistock-pos__complete' );
			await page.waitForSelector( '.omnistock-pos__done' );
			return page
				.locator( '.omnistock-pos__done' )
				.getAttribute( 'data-sale' );
		},

		/** Types like a keyboard-wedge scanner: fast keys, then Enter, with the focus not in a field. */
		async scan( page, code ) {
			await page.locator( '.omnistock-pos__location-name' ).click();
			await page.keyboard.type( code, { delay: 4 } );
			await page.keyboard.press( 'Enter' );
		},

		/** What the Store API says of a product's stock: remaining units (low_stock_remaining; the seed makes it always shown) and in stock. */
		async storeApiStock( page, product ) {
			const response = await page.request.get(
				`${ base }/?rest_route=/wc/store/v1/products/${ product }`
			);
			assert.equal( response.status(), 200, 'Store API product' );
			const body = await response.json();
			return {
				number: body.low_stock_remaining,
				inStock: body.is_in_stock,
				text: JSON.stringify( {
					low_stock_remaining: body.low_stock_remaining,
					is_in_stock: body.is_in_stock,
				} ),
			};
		},
	};
	return ctx;
}

/** Waits until `check()` is true (polling), or fails with `what`. */
export async function until( check, what, timeout = 20000 ) {
	const end = Date.now() + timeout;
	for (;;) {
		if ( await check() ) {
			return;
		}
		if ( Date.now() > end ) {
			throw new Error( `timed out waiting for ${ what }` );
		}
		await new Promise( ( r ) => setTimeout( r, 150 ) );
	}
}

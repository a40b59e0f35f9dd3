/**
 * The POS app's texts are translatable: a Jed JSON for de_DE where WordPress looks for the script's
 * translations (languages/plugins/omnistock-de_DE-<md5 of "build/index.js">.json, as `wp i18n
 * make-json` names it), the cashier's own language set to de_DE, and the terminal shows the German text.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assert } from './lib/harness.mjs';

const PLACEHOLDER = 'Search name, SKU or barcode — or scan (F2 here, F9 pay)';
const GERMAN =
	'Name, SKU oder Barcode suchen — oder scannen (F2 hier, F9 zahlen)';

export const tests = [
	[
		"the terminal shows its texts in the cashier's language (script translations for de_DE)",
		async ( ctx ) => {
			const dir = join(
				process.env.OMNISTOCK_WP_DIR,
				'wp-content',
				'languages',
				'plugins'
			);
			const md5 = createHash( 'md5' )
				.update( 'build/index.js' )
				.digest( 'hex' );
			const file = join( dir, `omnistock-de_DE-${ md5 }.json` );
			mkdirSync( dir, { recursive: true } );
			writeFileSync(
				file,
				JSON.stringify( {
					domain: 'messages',
					locale_data: {
						messages: {
							'': {
								domain: 'messages',
								lang: 'de_DE',
								'plural-forms': 'nplurals=2; plural=(n != 1);',
							},
							[ PLACEHOLDER ]: [ GERMAN ],
							Online: [ 'Verbunden' ],
						},
					},
				} )
			);
			try {
				assert.equal(
					ctx.site( 'locale', 'cashier', 'de_DE' ).locale,
					'de_DE'
				);
				// Logged in first without a location: the login's stored state (what later tests start
				// from) must not carry the terminal's location, or the cashier test sees no picker.
				await ( await ctx.session( 'cashier' ) ).context.close();
				const { page } = await ctx.terminal( 'cashier' );
				assert.equal(
					await page
						.locator( '.omnistock-pos__search-input' )
						.getAttribute( 'placeholder' ),
					GERMAN,
					'the search field speaks German'
				);
				assert.equal(
					(
						await page
							.locator( '.omnistock-pos__net' )
							.textContent()
					).trim(),
					'Verbunden'
				);
				// A text the file does not translate stays English.
				assert.match(
					await page
						.locator( '.omnistock-pos__waiting' )
						.textContent(),
					/waiting/
				);
			} finally {
				ctx.site( 'locale', 'cashier' );
				rmSync( file, { force: true } );
			}
		},
	],
];

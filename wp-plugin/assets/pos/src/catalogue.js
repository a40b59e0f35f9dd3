/**
 * The catalogue, loaded once per location and searched in the browser: every keystroke is a scan
 * over precomputed lower-case keys, no request, so results keep up with typing on 10,000 products.
 * Live stock figures for what is on screen come from /pos/stock; the sale itself checks stock.
 */
import { get } from './api';

const PER_PAGE = 2000;
export const MAX_RESULTS = 30;

export async function loadCatalogue( location, onProgress ) {
	const items = [];
	let page = 1;
	let pages = 1;
	do {
		const answer = await get( '/pos/catalogue', {
			location,
			page,
			per_page: PER_PAGE,
		} );
		items.push( ...answer.items );
		pages = answer.pages || 1;
		if ( onProgress ) {
			onProgress( items.length, answer.total );
		}
		page++;
	} while ( page <= pages );
	return index( items );
}

export function index( items ) {
	const byCode = new Map();
	const keys = new Array( items.length );
	items.forEach( ( item, i ) => {
		keys[ i ] = [ item.name, item.sku, item.barcode ]
			.filter( Boolean )
			.join( '\u0001' )
			.toLowerCase();
		for ( const code of [ item.barcode, item.sku ] ) {
			if ( code && ! byCode.has( String( code ).toLowerCase() ) ) {
				byCode.set( String( code ).toLowerCase(), item );
			}
		}
	} );
	const byId = new Map( items.map( ( item ) => [ item.id, item ] ) );
	return { items, keys, byCode, byId };
}

/**
 * The item whose barcode or SKU is exactly `code` (what a scanner types), or null.
 *
 * @param {Object} catalogue The catalogue.
 * @param {string} code      Barcode or SKU.
 */
export const findCode = ( catalogue, code ) =>
	catalogue.byCode.get( String( code ).trim().toLowerCase() ) || null;

/**
 * Items whose name, SKU or barcode contain every word of the query; exact codes first.
 *
 * @param {Object} catalogue The catalogue.
 * @param {string} query     What the cashier typed.
 */
export function search( catalogue, query ) {
	const words = query.toLowerCase().split( /\s+/ ).filter( Boolean );
	if ( ! words.length ) {
		return [];
	}
	const out = [];
	const exact = findCode( catalogue, query );
	if ( exact ) {
		out.push( exact );
	}
	const { items, keys } = catalogue;
	for ( let i = 0; i < items.length && out.length < MAX_RESULTS; i++ ) {
		const key = keys[ i ];
		let all = true;
		for ( const w of words ) {
			if ( key.indexOf( w ) === -1 ) {
				all = false;
				break;
			}
		}
		if ( all && items[ i ] !== exact ) {
			out.push( items[ i ] );
		}
	}
	return out;
}

/**
 * Sales waiting for the server, in IndexedDB: each with its uuid and `at`, sent in the order they
 * were made, each exactly once. A sale leaves the queue only on an answer that settles it (200/201,
 * or a 4xx other than a lost login, 408 or 429); a refused one (409 short, 400) moves to "rejected" for the cashier,
 * so nothing is dropped silently. Only one flush runs at a time (navigator.locks across tabs).
 */
import { request, HttpError, Unreachable } from './api';

const DB = 'omnistock-pos';
const QUEUE = 'queue';
const REJECTED = 'rejected';

let opening = null;
function db() {
	if ( ! opening ) {
		opening = new Promise( ( resolve, reject ) => {
			const open = window.indexedDB.open( DB, 1 );
			open.onupgradeneeded = () => {
				const d = open.result;
				d.createObjectStore( QUEUE, {
					keyPath: 'seq',
					autoIncrement: true,
				} ).createIndex( 'id', 'sale.id', { unique: true } );
				d.createObjectStore( REJECTED, { keyPath: 'sale.id' } );
			};
			open.onsuccess = () => resolve( open.result );
			open.onerror = () => reject( open.error );
		} );
	}
	return opening;
}

function tx( store, mode, work ) {
	return db().then(
		( d ) =>
			new Promise( ( resolve, reject ) => {
				const t = d.transaction( store, mode );
				let result;
				Promise.resolve( work( t.objectStore( store ) ) ).then(
					( r ) => ( result = r )
				);
				t.oncomplete = () => resolve( result );
				t.onerror = () => reject( t.error );
				t.onabort = () => reject( t.error );
			} )
	);
}

const all = ( store ) =>
	tx(
		store,
		'readonly',
		( s ) =>
			new Promise(
				( resolve ) =>
					( s.getAll().onsuccess = ( e ) =>
						resolve( e.target.result ) )
			)
	);

/**
 * Adds a sale (its body as it will be posted). A uuid already queued is not added twice.
 *
 * @param {Object} sale The sale's body.
 */
export const enqueue = ( sale ) =>
	tx( QUEUE, 'readwrite', ( s ) => {
		s.index( 'id' ).getKey( sale.id ).onsuccess = ( e ) => {
			if ( e.target.result === undefined ) {
				s.add( { sale, queuedAt: Date.now() } );
			}
		};
	} );

export const waiting = () => all( QUEUE );
export const rejected = () => all( REJECTED );
const remove = ( seq ) => tx( QUEUE, 'readwrite', ( s ) => s.delete( seq ) );
export const forgetRejected = ( id ) =>
	tx( REJECTED, 'readwrite', ( s ) => s.delete( id ) );
const reject = ( entry, error ) =>
	db().then(
		( d ) =>
			new Promise( ( resolve, fail ) => {
				const t = d.transaction( [ QUEUE, REJECTED ], 'readwrite' );
				t.objectStore( REJECTED ).put( {
					sale: entry.sale,
					status: error.status,
					code: error.code,
					message: error.message,
					short: error.data.short || [],
				} );
				t.objectStore( QUEUE ).delete( entry.seq );
				t.oncomplete = resolve;
				t.onerror = () => fail( t.error );
			} )
	);

/**
 * Whether an HTTP error settles the sale (the server decided) rather than asking for a retry.
 * A lost login does not (401, or 403 rest_cookie_invalid_nonce when no fresh nonce could be had:
 * what WordPress answers once the cashier's auth cookie is gone): the sale waits until they log
 * in again.
 *
 * @param {number} status HTTP status.
 * @param {string} code   The WP_Error code of the answer.
 */
export const settles = ( status, code ) =>
	status >= 400 &&
	status < 500 &&
	status !== 401 &&
	status !== 408 &&
	status !== 429 &&
	code !== 'rest_cookie_invalid_nonce';

let flushing = null;

/**
 * Sends the waiting sales in order; stops at the first that cannot be sent now.
 * Resolves with { sent: [answers], stopped: bool }.
 */
export function flush() {
	if ( flushing ) {
		return flushing;
	}
	const run = async () => {
		const sent = [];
		for ( const entry of ( await waiting() ).sort(
			( a, b ) => a.seq - b.seq
		) ) {
			try {
				const { body } = await request(
					'POST',
					'/pos/sales',
					{},
					entry.sale
				);
				await remove( entry.seq );
				sent.push( body );
			} catch ( error ) {
				if (
					error instanceof HttpError &&
					settles( error.status, error.code )
				) {
					await reject( entry, error );
					continue;
				}
				if (
					error instanceof Unreachable ||
					error instanceof HttpError
				) {
					return { sent, stopped: true };
				}
				throw error;
			}
		}
		return { sent, stopped: false };
	};
	const locked =
		window.navigator.locks && window.navigator.locks.request
			? () => window.navigator.locks.request( 'omnistock-pos-flush', run )
			: run;
	flushing = locked().finally( () => ( flushing = null ) );
	return flushing;
}

/**
 * REST calls to omnistock/v1. WordPress core already gives wp.apiFetch the REST root and the
 * wp_rest nonce (createRootURLMiddleware / createNonceMiddleware in its inline script), so the
 * app only names paths.
 */
import apiFetch from '@wordpress/api-fetch';
import { addQueryArgs } from '@wordpress/url';

const NS = '/omnistock/v1';

/** Thrown when the server could not be reached (offline, DNS, connection refused). */
export class Unreachable extends Error {}

/** An HTTP error answer: status, WP_Error code, message and data. */
export class HttpError extends Error {
	constructor( status, body ) {
		super( ( body && body.message ) || `HTTP ${ status }` );
		this.status = status;
		this.code = body && body.code;
		this.data = ( body && body.data ) || {};
	}
}

/**
 * One request. Resolves with { status, body }; rejects with Unreachable or HttpError.
 *
 * @param {string}  method  HTTP method.
 * @param {string}  path    Path under omnistock/v1.
 * @param {Object}  query   Query arguments.
 * @param {Object}  data    JSON body.
 * @param {boolean} retried This is the resend after a fresh nonce (at most one).
 */
export async function request(
	method,
	path,
	query = {},
	data,
	retried = false
) {
	let response;
	try {
		response = await apiFetch( {
			path: addQueryArgs( NS + path, query ),
			method,
			data,
			parse: false,
		} );
	} catch ( thrown ) {
		if ( thrown instanceof window.Response ) {
			response = thrown;
		} else {
			throw new Unreachable( ( thrown && thrown.message ) || 'offline' );
		}
	}
	let body = null;
	try {
		body = await response.json();
	} catch ( e ) {
		body = null;
	}
	if (
		response.status === 403 &&
		body &&
		body.code === 'rest_cookie_invalid_nonce' &&
		! retried &&
		( await freshNonce() )
	) {
		// A terminal stays open for days; the wp_rest nonce lives 12-24 h. (api-fetch refreshes
		// it itself only when it parses the answer, and this module asks for the raw answer.)
		return request( method, path, query, data, true );
	}
	if ( response.status >= 400 ) {
		throw new HttpError( response.status, body );
	}
	return { status: response.status, body };
}

/**
 * Asks WordPress for a new wp_rest nonce (admin-ajax's rest-nonce, the endpoint core gives
 * api-fetch) and hands it to api-fetch's nonce middleware. Resolves true when it got one.
 */
async function freshNonce() {
	if ( ! apiFetch.nonceEndpoint || ! apiFetch.nonceMiddleware ) {
		return false;
	}
	try {
		const answer = await window.fetch( apiFetch.nonceEndpoint, {
			credentials: 'same-origin',
		} );
		const nonce = answer.ok ? ( await answer.text() ).trim() : '';
		if ( ! /^[0-9a-f]+$/.test( nonce ) ) {
			return false; // Logged out: "0", or a login page.
		}
		apiFetch.nonceMiddleware.nonce = nonce;
		return true;
	} catch ( e ) {
		return false;
	}
}

export const get = ( path, query ) =>
	request( 'GET', path, query ).then( ( r ) => r.body );
export const post = ( path, data ) =>
	request( 'POST', path, {}, data ).then( ( r ) => r.body );

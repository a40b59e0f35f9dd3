/** A version 4 UUID: the sale's idempotency key, made in the browser so a resend is the same sale. */
export function uuid() {
	if ( window.crypto && typeof window.crypto.randomUUID === 'function' ) {
		return window.crypto.randomUUID();
	}
	const b = window.crypto.getRandomValues( new Uint8Array( 16 ) );
	// RFC 4122's version (4) and variant (10xx) bits.
	b[ 6 ] = ( b[ 6 ] & 0x0f ) | 0x40; // eslint-disable-line no-bitwise
	b[ 8 ] = ( b[ 8 ] & 0x3f ) | 0x80; // eslint-disable-line no-bitwise
	const h = Array.from( b, ( x ) =>
		x.toString( 16 ).padStart( 2, '0' )
	).join( '' );
	return `${ h.slice( 0, 8 ) }-${ h.slice( 8, 12 ) }-${ h.slice(
		12,
		16
	) }-${ h.slice( 16, 20 ) }-${ h.slice( 20 ) }`;
}

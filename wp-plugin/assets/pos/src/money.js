/**
 * Money as the shop formats it. Amounts travel as decimal strings ("12.50"); arithmetic in
 * integer minor units, so 0.1 + 0.2 never shows up on a receipt.
 */
const settings = () =>
	( window.omnistockPos && window.omnistockPos.currency ) || {};

export const decimals = () =>
	Number.isInteger( settings().decimals ) ? settings().decimals : 2;

export function toMinor( amount ) {
	const n = Number( String( amount ?? '0' ).replace( ',', '.' ) );
	return Number.isFinite( n ) ? Math.round( n * 10 ** decimals() ) : NaN;
}

export const fromMinor = ( minor ) =>
	( minor / 10 ** decimals() ).toFixed( decimals() );

export function format( amount ) {
	const minor = toMinor( amount );
	if ( Number.isNaN( minor ) ) {
		return '';
	}
	const s = settings();
	const [ whole, frac ] = fromMinor( Math.abs( minor ) ).split( '.' );
	const grouped = whole.replace(
		/\B(?=(\d{3})+(?!\d))/g,
		s.thousands ?? ','
	);
	const number =
		( minor < 0 ? '−' : '' ) +
		grouped +
		( frac ? ( s.decimal ?? '.' ) + frac : '' );
	const symbol = s.symbol ?? '';
	switch ( s.position ) {
		case 'right':
			return number + symbol;
		case 'right_space':
			return number + '\u00a0' + symbol;
		case 'left_space':
			return symbol + '\u00a0' + number;
		default:
			return symbol + number;
	}
}

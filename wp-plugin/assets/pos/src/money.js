/**
 * Money as the shop formats it. Amounts travel as decimal strings ("12.50"); arithmetic in
 * integer minor units, so 0.1 + 0.2 never shows up on a receipt. The digits are read as text
 * (never `n * 100`), rounded half away from zero like the plugin's MinorUnits::stored, so
 * "1.005" is 1.01 here as it is on the server.
 */
/* global BigInt -- ES2020, in every browser the POS supports; the lint's environment predates it. */
const settings = () =>
	( typeof window !== 'undefined' &&
		window.omnistockPos &&
		window.omnistockPos.currency ) ||
	{};

export const decimals = () =>
	Number.isInteger( settings().decimals ) ? settings().decimals : 2;

/**
 * The decimal text of an amount: strings as typed (a comma is a decimal point), numbers in fixed notation.
 *
 * @param {string|number|null|undefined} amount The amount.
 * @return {string|null} Its decimal text (null for a number that is not finite).
 */
function text( amount ) {
	if ( typeof amount === 'number' ) {
		// Ten decimals keep what a JSON number meant (0.1 → "0.1000000000") and drop binary noise.
		return Number.isFinite( amount ) ? amount.toFixed( 10 ) : null;
	}
	return String( amount ?? '0' )
		.trim()
		.replace( ',', '.' );
}

/**
 * An amount ("12.50", "12,5", "-0.05", 12.5, "") in minor units, rounded half away from zero on
 * its digits; NaN when it is not an amount or not a safe integer of minor units.
 *
 * @param {string|number} amount The amount.
 * @param {number}        places The decimals (the shop's).
 * @return {number} Minor units.
 */
export function toMinor( amount, places = decimals() ) {
	const t = text( amount );
	const m = t === null ? null : /^([-+]?)(\d*)(?:\.(\d*))?$/.exec( t );
	if ( ! m ) {
		return NaN;
	}
	const whole = m[ 2 ] || '0';
	const fraction = ( m[ 3 ] || '' ).padEnd( places + 1, '0' );
	let minor = Number( whole + fraction.slice( 0, places ) );
	if ( fraction[ places ] >= '5' ) {
		minor += 1;
	}
	if ( ! Number.isSafeInteger( minor ) ) {
		return NaN;
	}
	return m[ 1 ] === '-' && minor !== 0 ? -minor : minor;
}

/**
 * Minor units as a decimal string with the shop's decimals: 1250 → "12.50", -5 → "-0.05".
 *
 * @param {number} minor  Minor units (an integer).
 * @param {number} places The decimals (the shop's).
 * @return {string} The amount ("NaN" when minor is not an integer).
 */
export function fromMinor( minor, places = decimals() ) {
	if ( ! Number.isInteger( minor ) ) {
		return 'NaN';
	}
	const digits = String( Math.abs( minor ) ).padStart( places + 1, '0' );
	const sign = minor < 0 ? '-' : '';
	return places === 0
		? sign + digits
		: sign + digits.slice( 0, -places ) + '.' + digits.slice( -places );
}

/**
 * A × B ÷ C rounded half away from zero, in integers (C > 0): the PHP MoneyRules' scale.
 *
 * @param {number} a A.
 * @param {number} b B.
 * @param {number} c C, positive.
 * @return {number} The result (NaN beyond safe integers).
 */
export function scale( a, b, c ) {
	if ( ! [ a, b, c ].every( Number.isSafeInteger ) || c <= 0 ) {
		return NaN;
	}
	// BigInt keeps A × B exact past 2^53; the result must be a safe integer again.
	const product = BigInt( Math.abs( a ) ) * BigInt( Math.abs( b ) );
	const divisor = BigInt( c );
	let whole = product / divisor;
	const rest = product % divisor;
	if ( rest >= divisor - rest && rest > BigInt( 0 ) ) {
		whole += BigInt( 1 );
	}
	const n = Number( whole );
	if ( ! Number.isSafeInteger( n ) ) {
		return NaN;
	}
	return a < 0 !== b < 0 && n !== 0 ? -n : n;
}

/**
 * The tax-exclusive part of an amount given on tax-inclusive prices (MoneyRules::exclusive_part).
 *
 * @param {number} amount    The amount as given.
 * @param {number} exclusive The price without tax.
 * @param {number} inclusive The price with tax.
 * @return {number} Minor units.
 */
export const exclusivePart = ( amount, exclusive, inclusive ) =>
	inclusive > 0 ? scale( amount, exclusive, inclusive ) : amount;

/**
 * A line's discount before tax (MoneyRules::line_discount).
 *
 * @param {number}  given       The discount as given, on the prices as shown.
 * @param {number}  exclusive   The line before tax and discount.
 * @param {number}  inclusive   The line with tax, before discount.
 * @param {boolean} includesTax Whether prices are shown with tax.
 * @return {number} Minor units.
 */
export function lineDiscount( given, exclusive, inclusive, includesTax ) {
	if ( ! ( given > 0 ) ) {
		return 0;
	}
	const off = includesTax
		? exclusivePart( given, exclusive, inclusive )
		: given;
	return Math.min( off, Math.max( 0, exclusive ) );
}

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

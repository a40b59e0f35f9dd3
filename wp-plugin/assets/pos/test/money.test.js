/**
 * money.js and the payment rules against the money vectors the plugin's PHPUnit test checks too
 * (tests/lib/money-vectors.json): the PHP is the authority, this is its mirror.
 */
import vectors from '../../../../tests/lib/money-vectors.json';
import {
	toMinor,
	fromMinor,
	format,
	scale,
	exclusivePart,
	lineDiscount,
} from '../src/money';
import { tender } from '../src/payment-rules';

describe( 'money vectors shared with the plugin', () => {
	test.each( vectors.to_minor )(
		'toMinor( $amount ) at $decimals decimals is $minor',
		( { amount, decimals, minor } ) => {
			expect( toMinor( amount, decimals ) ).toBe( minor );
		}
	);

	test.each( vectors.format )(
		'fromMinor( $minor ) at $decimals decimals is $text, and back',
		( { minor, decimals, text } ) => {
			expect( fromMinor( minor, decimals ) ).toBe( text );
			expect( toMinor( text, decimals ) ).toBe( minor );
		}
	);

	test.each( vectors.tender )(
		'tender of $total with $card by card and $cash_given cash',
		( v ) => {
			expect( tender( v.total, v.card, v.cash_given ) ).toEqual( {
				cashDue: v.cash_due,
				cashKept: v.cash_kept,
				change: v.change,
				short: v.short,
			} );
		}
	);

	test.each( vectors.exclusive_part )(
		'exclusive part of $amount at $exclusive / $inclusive is $result',
		( { amount, exclusive, inclusive, result } ) => {
			expect( exclusivePart( amount, exclusive, inclusive ) ).toBe(
				result
			);
		}
	);

	test.each( vectors.line_discount )(
		'line discount $given on $exclusive / $inclusive (tax included: $includes_tax) is $result',
		( v ) => {
			expect(
				lineDiscount(
					v.given,
					v.exclusive,
					v.inclusive,
					v.includes_tax
				)
			).toBe( v.result );
		}
	);
} );

describe( 'money.js beyond the vectors', () => {
	test( 'what is not an amount is NaN, an empty field is zero', () => {
		expect( toMinor( 'abc', 2 ) ).toBeNaN();
		expect( toMinor( '1.2.3', 2 ) ).toBeNaN();
		expect( toMinor( '1e3', 2 ) ).toBeNaN();
		expect( toMinor( Infinity, 2 ) ).toBeNaN();
		expect( toMinor( '', 2 ) ).toBe( 0 );
		expect( toMinor( undefined, 2 ) ).toBe( 0 );
		expect( toMinor( null, 2 ) ).toBe( 0 );
	} );

	test( 'a comma is a decimal point, as a cashier types it', () => {
		expect( toMinor( '12,50', 2 ) ).toBe( 1250 );
	} );

	test( 'amounts beyond safe integers are refused, not rounded', () => {
		expect( toMinor( '123456789012345678.00', 2 ) ).toBeNaN();
		expect( fromMinor( 1.5, 2 ) ).toBe( 'NaN' );
		expect( fromMinor( NaN, 2 ) ).toBe( 'NaN' );
	} );

	test( 'sums in minor units do not drift as floats do', () => {
		let sum = 0;
		for ( let i = 0; i < 1000; i++ ) {
			sum += toMinor( '0.10', 2 );
		}
		expect( fromMinor( sum, 2 ) ).toBe( '100.00' );
		expect(
			fromMinor( toMinor( '0.1', 2 ) + toMinor( '0.2', 2 ), 2 )
		).toBe( '0.30' );
	} );

	test( 'scale is exact past 2^53 and rounds half away from zero', () => {
		expect( scale( 2 ** 52, 3, 4 ) ).toBe( 3 * 2 ** 50 );
		expect( scale( 5, 1, 2 ) ).toBe( 3 );
		expect( scale( -5, 1, 2 ) ).toBe( -3 );
		expect( scale( 4, 1, 3 ) ).toBe( 1 );
		expect( scale( 0, 7, 3 ) ).toBe( 0 );
		expect( scale( 1, 1, 0 ) ).toBeNaN();
		expect( scale( Number.MAX_SAFE_INTEGER, 2, 1 ) ).toBeNaN();
	} );

	test( 'format uses the shop settings: symbol, separators, decimals', () => {
		window.omnistockPos = {
			currency: {
				decimals: 2,
				symbol: '€',
				position: 'right_space',
				thousands: '.',
				decimal: ',',
			},
		};
		try {
			expect( format( '1234567.005' ) ).toBe( '1.234.567,01\u00a0€' );
			expect( format( '-0.05' ) ).toBe( '−0,05\u00a0€' );
			expect( format( 'x' ) ).toBe( '' );
			window.omnistockPos.currency = { decimals: 0, symbol: '¥' };
			expect( format( '1250' ) ).toBe( '¥1,250' );
			expect( format( '12.5' ) ).toBe( '¥13' );
		} finally {
			delete window.omnistockPos;
		}
	} );
} );

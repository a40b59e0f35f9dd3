/**
 * The Payment screen's rules (payment-rules.js): what each method sends, the change shown, when
 * the sale may complete. Two decimals (no shop settings in the test page).
 */
import { payments, changeOf } from '../src/payment-rules';

const fields = ( f ) => ( {
	tendered: '',
	cardAmount: '',
	reference: '',
	...f,
} );

describe( 'cash', () => {
	test( 'cash handed over beyond the total is change', () => {
		const plan = payments( 'cash', '12.35', fields( { tendered: '20' } ) );
		expect( plan ).toEqual( {
			list: [ { method: 'cash', amount: '12.35', tendered: '20.00' } ],
			change: 765,
			ok: true,
		} );
	} );

	test( 'too little cash cannot complete, and gives no change', () => {
		const plan = payments(
			'cash',
			'12.35',
			fields( { tendered: '12.34' } )
		);
		expect( plan.ok ).toBe( false );
		expect( plan.change ).toBe( 0 );
	} );

	test( 'the exact amount completes with no change', () => {
		const plan = payments( 'cash', '0.30', fields( { tendered: '0.3' } ) );
		expect( plan.ok ).toBe( true );
		expect( plan.change ).toBe( 0 );
	} );

	test( 'a tendered amount that is not one cannot complete', () => {
		const plan = payments(
			'cash',
			'5.00',
			fields( { tendered: '5,00x' } )
		);
		expect( plan.ok ).toBe( false );
	} );

	test( 'tendered digits are read as typed: 1.005 is 1.01, as on the server', () => {
		const plan = payments(
			'cash',
			'1.01',
			fields( { tendered: '1.005' } )
		);
		expect( plan.ok ).toBe( true );
		expect( plan.list[ 0 ].tendered ).toBe( '1.01' );
	} );
} );

describe( 'card', () => {
	test( 'the whole total by card, with the terminal reference', () => {
		const plan = payments( 'card', '9.99', fields( { reference: 'R1' } ) );
		expect( plan ).toEqual( {
			list: [ { method: 'card', amount: '9.99', reference: 'R1' } ],
			change: 0,
			ok: true,
		} );
	} );

	test( 'no reference, no sale', () => {
		expect(
			payments( 'card', '9.99', fields( { reference: '  ' } ) ).ok
		).toBe( false );
	} );
} );

describe( 'split', () => {
	test( 'the card part, then cash for the rest with its change', () => {
		const plan = payments(
			'split',
			'50.00',
			fields( { cardAmount: '30', tendered: '25', reference: 'R2' } )
		);
		expect( plan ).toEqual( {
			list: [
				{ method: 'card', amount: '30.00', reference: 'R2' },
				{ method: 'cash', amount: '20.00', tendered: '25.00' },
			],
			change: 500,
			ok: true,
		} );
		expect( changeOf( plan.list, '50.00' ) ).toBe( 500 );
	} );

	test( 'a card part above the total cannot complete', () => {
		const plan = payments(
			'split',
			'50.00',
			fields( { cardAmount: '60', tendered: '0', reference: 'R' } )
		);
		expect( plan.ok ).toBe( false );
		expect( plan.list ).toEqual( [
			{ method: 'card', amount: '60.00', reference: 'R' },
		] );
	} );

	test( 'a card part needs its reference', () => {
		expect(
			payments(
				'split',
				'50.00',
				fields( { cardAmount: '30', tendered: '20' } )
			).ok
		).toBe( false );
	} );
} );

test( 'changeOf: cash without a tendered amount gives no change; cards none', () => {
	expect( changeOf( [ { method: 'cash', amount: '10.00' } ], '10.00' ) ).toBe(
		0
	);
	expect(
		changeOf(
			[
				{ method: 'card', amount: '4.00' },
				{ method: 'cash', amount: '6.00', tendered: '10.00' },
			],
			'10.00'
		)
	).toBe( 400 );
} );

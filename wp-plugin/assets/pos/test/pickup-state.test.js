/** The Pickups view's sections and the arrivals that make it beep (pickup-state.js). */
import { sections, newArrivals, awaitsTransfer } from '../src/pickup-state';

const pickup = ( order, status, extra = {} ) => ( {
	order,
	status,
	curbside: false,
	arrived: null,
	...extra,
} );

const list = [
	pickup( 1, 'new' ),
	pickup( 2, 'preparing' ),
	pickup( 3, 'ready' ),
	pickup( 4, 'ready', { arrived: { at: 100, note: '' } } ),
	pickup( 5, 'ready', {
		curbside: true,
		arrived: { at: 200, note: 'bay 3' },
	} ),
	pickup( 6, 'collected' ),
];

test( 'new and preparing are to prepare; ready waits until the shopper arrives', () => {
	const s = sections( list );
	expect( s.prepare.map( ( p ) => p.order ) ).toEqual( [ 1, 2 ] );
	expect( s.ready.map( ( p ) => p.order ) ).toEqual( [ 3 ] );
} );

test( 'arrivals: curbside first, then by time of arrival; collected is nowhere', () => {
	expect( sections( list ).arrived.map( ( p ) => p.order ) ).toEqual( [
		5, 4,
	] );
	expect( sections( null ) ).toEqual( {
		prepare: [],
		ready: [],
		arrived: [],
	} );
} );

test( 'only an arrival not seen before is new', () => {
	expect( newArrivals( new Set(), list ) ).toEqual( [ 4, 5 ] );
	expect( newArrivals( new Set( [ 4 ] ), list ) ).toEqual( [ 5 ] );
	expect( newArrivals( new Set( [ 4, 5 ] ), list ) ).toEqual( [] );
} );

test( 'an order waits for its transfer until it is received; one without a transfer never does', () => {
	const sent = { from: 7, name: 'Warehouse', received_at: null };
	expect( awaitsTransfer( pickup( 7, 'new', { transfer: sent } ) ) ).toBe(
		true
	);
	expect(
		awaitsTransfer(
			pickup( 8, 'preparing', {
				transfer: { ...sent, received_at: 1700000000000 },
			} )
		)
	).toBe( false );
	expect( awaitsTransfer( pickup( 9, 'new', { transfer: null } ) ) ).toBe(
		false
	);
	expect( awaitsTransfer( pickup( 10, 'new' ) ) ).toBe( false );
	expect( awaitsTransfer( null ) ).toBe( false );
} );

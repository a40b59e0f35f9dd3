/** The Shipments view's sections, next steps and packing slip address (shipment-state.js). */
import { sections, nextStep, addressLines, units } from '../src/shipment-state';

const shipment = ( id, status, extra = {} ) => ( {
	id,
	status,
	items: [],
	...extra,
} );

describe( 'sections', () => {
	it( 'puts new to pick, picked to pack, packed to ship, oldest first, and leaves out the rest', () => {
		const list = [
			shipment( 1, 'new' ),
			shipment( 2, 'picked' ),
			shipment( 3, 'packed' ),
			shipment( 4, 'new' ),
			shipment( 5, 'shipped' ),
			shipment( 6, 'rejected' ),
		];
		const s = sections( list );
		expect( s.pick.map( ( x ) => x.id ) ).toEqual( [ 1, 4 ] );
		expect( s.pack.map( ( x ) => x.id ) ).toEqual( [ 2 ] );
		expect( s.ship.map( ( x ) => x.id ) ).toEqual( [ 3 ] );
	} );
	it( 'takes anything that is not a list as none', () => {
		expect( sections( null ) ).toEqual( { pick: [], pack: [], ship: [] } );
	} );
} );

describe( 'nextStep', () => {
	it( 'follows picked → packed → shipped, and has none after', () => {
		expect( nextStep( shipment( 1, 'new' ) ) ).toBe( 'picked' );
		expect( nextStep( shipment( 1, 'picked' ) ) ).toBe( 'packed' );
		expect( nextStep( shipment( 1, 'packed' ) ) ).toBe( 'shipped' );
		expect( nextStep( shipment( 1, 'shipped' ) ) ).toBeNull();
		expect( nextStep( shipment( 1, 'rejected' ) ) ).toBeNull();
		expect( nextStep( null ) ).toBeNull();
	} );
} );

describe( 'addressLines', () => {
	it( 'prints the parts that are there, postcode before city', () => {
		expect(
			addressLines( {
				name: 'Grace Hopper',
				company: '',
				address_1: 'Torstr. 5',
				address_2: ' ',
				postcode: '10119',
				city: 'Berlin',
				state: '',
				country: 'DE',
			} )
		).toEqual( [ 'Grace Hopper', 'Torstr. 5', '10119 Berlin', 'DE' ] );
		expect( addressLines( undefined ) ).toEqual( [] );
	} );
} );

describe( 'units', () => {
	it( 'adds the pick list', () => {
		expect(
			units( shipment( 1, 'new', { items: [ { qty: 2 }, { qty: 1 } ] } ) )
		).toBe( 3 );
		expect( units( shipment( 1, 'new', { items: undefined } ) ) ).toBe( 0 );
	} );
} );

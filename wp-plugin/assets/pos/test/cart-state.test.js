/** The cart reducer (cart-state.js): lines keyed by product, quantities, discounts, coupons. */
import { cartReducer, emptyCart } from '../src/cart-state';

const tea = { id: 7, name: 'Tea', price: '3.50' };
const cake = { id: 9, name: 'Cake', price: '4.00' };
const add = ( cart, item ) => cartReducer( cart, { type: 'add', item } );

test( 'adding a product twice makes one line of two', () => {
	const cart = add( add( emptyCart, tea ), tea );
	expect( cart.lines ).toEqual( [
		{ product: 7, name: 'Tea', price: '3.50', qty: 2, discount: '' },
	] );
	expect( emptyCart.lines ).toEqual( [] );
} );

test( 'quantities change by product; below one removes the line', () => {
	let cart = add( add( emptyCart, tea ), cake );
	cart = cartReducer( cart, { type: 'qty', product: 9, qty: 5 } );
	expect( cart.lines.map( ( l ) => [ l.product, l.qty ] ) ).toEqual( [
		[ 7, 1 ],
		[ 9, 5 ],
	] );
	cart = cartReducer( cart, { type: 'qty', product: 7, qty: 0 } );
	expect( cart.lines.map( ( l ) => l.product ) ).toEqual( [ 9 ] );
	cart = cartReducer( cart, { type: 'remove', product: 9 } );
	expect( cart.lines ).toEqual( [] );
} );

test( 'discounts are kept as typed, for the server to check', () => {
	let cart = add( add( emptyCart, tea ), cake );
	cart = cartReducer( cart, {
		type: 'lineDiscount',
		product: 9,
		discount: '1.005',
	} );
	cart = cartReducer( cart, { type: 'discount', discount: '2' } );
	expect( cart.lines[ 1 ].discount ).toBe( '1.005' );
	expect( cart.lines[ 0 ].discount ).toBe( '' );
	expect( cart.discount ).toBe( '2' );
} );

test( 'a coupon is added once and can be taken off', () => {
	let cart = cartReducer( emptyCart, { type: 'coupon', code: 'TEN' } );
	const again = cartReducer( cart, { type: 'coupon', code: 'TEN' } );
	expect( again ).toBe( cart );
	cart = cartReducer( cart, { type: 'coupon', code: 'FIVE' } );
	expect( cart.coupons ).toEqual( [ 'TEN', 'FIVE' ] );
	cart = cartReducer( cart, { type: 'uncoupon', code: 'TEN' } );
	expect( cart.coupons ).toEqual( [ 'FIVE' ] );
} );

test( 'clear empties it; an unknown action changes nothing', () => {
	const cart = add( emptyCart, tea );
	expect( cartReducer( cart, { type: 'clear' } ) ).toBe( emptyCart );
	expect( cartReducer( cart, { type: 'nonsense' } ) ).toBe( cart );
} );

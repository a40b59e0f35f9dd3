/** The cart as a reducer: lines keyed by product, coupons, an order discount. */
export const emptyCart = { lines: [], coupons: [], discount: '' };

export function cartReducer( cart, action ) {
	switch ( action.type ) {
		case 'add': {
			const { item } = action;
			if ( cart.lines.some( ( l ) => l.product === item.id ) ) {
				return {
					...cart,
					lines: cart.lines.map( ( l ) =>
						l.product === item.id ? { ...l, qty: l.qty + 1 } : l
					),
				};
			}
			return {
				...cart,
				lines: [
					...cart.lines,
					{
						product: item.id,
						name: item.name,
						price: item.price,
						qty: 1,
						discount: '',
					},
				],
			};
		}
		case 'qty':
			if ( action.qty < 1 ) {
				return {
					...cart,
					lines: cart.lines.filter(
						( l ) => l.product !== action.product
					),
				};
			}
			return {
				...cart,
				lines: cart.lines.map( ( l ) =>
					l.product === action.product ? { ...l, qty: action.qty } : l
				),
			};
		case 'remove':
			return {
				...cart,
				lines: cart.lines.filter(
					( l ) => l.product !== action.product
				),
			};
		case 'lineDiscount':
			return {
				...cart,
				lines: cart.lines.map( ( l ) =>
					l.product === action.product
						? { ...l, discount: action.discount }
						: l
				),
			};
		case 'discount':
			return { ...cart, discount: action.discount };
		case 'coupon':
			return cart.coupons.includes( action.code )
				? cart
				: { ...cart, coupons: [ ...cart.coupons, action.code ] };
		case 'uncoupon':
			return {
				...cart,
				coupons: cart.coupons.filter( ( c ) => c !== action.code ),
			};
		case 'clear':
			return emptyCart;
		default:
			return cart;
	}
}

/**
 * The Pickups view's sections, from GET /pickups (pickup objects, oldest first): to prepare
 * (new, preparing), ready (not yet arrived) and arrived (ready with `arrived` set, curbside first);
 * and whether an order still waits for units sent from another location.
 */

/**
 * @param {Object[]} pickups Pickup objects as the server sends them.
 * @return {{prepare: Object[], ready: Object[], arrived: Object[]}} The sections, each oldest first.
 */
export function sections( pickups ) {
	const list = Array.isArray( pickups ) ? pickups : [];
	const prepare = list.filter(
		( p ) => p.status === 'new' || p.status === 'preparing'
	);
	const ready = list.filter( ( p ) => p.status === 'ready' && ! p.arrived );
	const arrived = list
		.filter( ( p ) => p.status === 'ready' && p.arrived )
		.sort(
			( a, b ) =>
				Number( !! b.curbside ) - Number( !! a.curbside ) ||
				a.arrived.at - b.arrived.at
		);
	return { prepare, ready, arrived };
}

/**
 * The orders that arrived since the last poll: what makes the terminal beep.
 *
 * @param {Set<number>} seen    Orders already known to have arrived.
 * @param {Object[]}    pickups The latest answer.
 * @return {number[]} Orders newly arrived.
 */
export function newArrivals( seen, pickups ) {
	return ( Array.isArray( pickups ) ? pickups : [] )
		.filter( ( p ) => p.status === 'ready' && p.arrived )
		.map( ( p ) => p.order )
		.filter( ( order ) => ! seen.has( order ) );
}

/**
 * Whether the order waits for units sent from another location (its `transfer` not yet received):
 * the desk shows "Arriving from …" and "Received", and the order cannot be made ready before.
 *
 * @param {Object} pickup A pickup object.
 * @return {boolean} Waits for a transfer.
 */
export function awaitsTransfer( pickup ) {
	return !! ( pickup && pickup.transfer && ! pickup.transfer.received_at );
}

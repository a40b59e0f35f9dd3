/**
 * The Shipments view's sections, from GET /shipments (shipment objects, oldest first): to pick
 * (new), to pack (picked) and to ship (packed); what the next step of a shipment is; and the
 * packing slip's address lines.
 */

/**
 * @param {Object[]} shipments Shipment objects as the server sends them.
 * @return {{pick: Object[], pack: Object[], ship: Object[]}} The sections, each oldest first.
 */
export function sections( shipments ) {
	const list = Array.isArray( shipments ) ? shipments : [];
	return {
		pick: list.filter( ( s ) => s.status === 'new' ),
		pack: list.filter( ( s ) => s.status === 'picked' ),
		ship: list.filter( ( s ) => s.status === 'packed' ),
	};
}

/**
 * The route of a shipment's next step (picked, packed, shipped), or null when it has none.
 *
 * @param {Object} shipment A shipment object.
 * @return {string|null} The step.
 */
export function nextStep( shipment ) {
	return (
		{ new: 'picked', picked: 'packed', packed: 'shipped' }[
			shipment && shipment.status
		] || null
	);
}

/**
 * The ship-to address as the slip prints it, one line each, empty parts left out.
 *
 * @param {Object} shipTo The shipment's `ship_to`.
 * @return {string[]} Lines.
 */
export function addressLines( shipTo ) {
	const a = shipTo || {};
	const city = [ a.postcode, a.city ].filter( Boolean ).join( ' ' );
	return [
		a.name,
		a.company,
		a.address_1,
		a.address_2,
		[ city, a.state ].filter( Boolean ).join( ', ' ),
		a.country,
	].filter( ( line ) => line && String( line ).trim() !== '' );
}

/**
 * The units of a pick list.
 *
 * @param {Object} shipment A shipment object.
 * @return {number} Units.
 */
export function units( shipment ) {
	return ( ( shipment && shipment.items ) || [] ).reduce(
		( sum, item ) => sum + ( Number( item.qty ) || 0 ),
		0
	);
}

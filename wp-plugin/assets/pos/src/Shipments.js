/**
 * The store's fulfilment queue (ship from store): the online orders routed to this store, to pick
 * (the pick list with each product's bin or shelf), to pack (with a packing slip to print) and to
 * ship (carrier and tracking number). A store that cannot fulfil one rejects it with a reason; the
 * server re-routes it. A light poll of GET /shipments while the view is open, as the Pickups view.
 */
import { useCallback, useEffect, useState } from '@wordpress/element';
import { Button } from '@wordpress/components';
import { __, _n, sprintf } from '@wordpress/i18n';
import { get, post } from './api';
import { ViewBar, Column } from './ViewBar';
import { sections, nextStep, addressLines, units } from './shipment-state';

const POLL_EVERY_MS = 10000;

/**
 * The packing slip of a shipment: printed on its own (the print styles hide the terminal).
 *
 * @param {Object}   props          Props.
 * @param {Object}   props.shipment The shipment object.
 * @param {Object}   props.location The terminal's location (the sender).
 * @param {Function} props.onClose  Closes the slip.
 * @return {Element} The slip.
 */
function Slip( { shipment, location, onClose } ) {
	return (
		<section
			className="omnistock-pos__slip"
			data-shipment={ shipment.id }
			aria-label={ __( 'Packing slip', 'omnistock' ) }
		>
			<header className="omnistock-pos__slip-head">
				<h3>{ __( 'Packing slip', 'omnistock' ) }</h3>
				<p>
					{ sprintf(
						/* translators: 1: the order number, 2: the shipment id. */
						__( 'Order #%1$s · shipment %2$d', 'omnistock' ),
						shipment.number,
						shipment.id
					) }
				</p>
			</header>
			<div className="omnistock-pos__slip-addresses">
				<div>
					<h4>{ __( 'From', 'omnistock' ) }</h4>
					<p>{ location.name }</p>
				</div>
				<div className="omnistock-pos__slip-to">
					<h4>{ __( 'Ship to', 'omnistock' ) }</h4>
					{ addressLines( shipment.ship_to ).map( ( line, i ) => (
						<p key={ i }>{ line }</p>
					) ) }
				</div>
			</div>
			<table className="omnistock-pos__slip-items">
				<thead>
					<tr>
						<th>{ __( 'Qty', 'omnistock' ) }</th>
						<th>{ __( 'Item', 'omnistock' ) }</th>
						<th>{ __( 'SKU', 'omnistock' ) }</th>
					</tr>
				</thead>
				<tbody>
					{ shipment.items.map( ( item ) => (
						<tr key={ item.item }>
							<td>{ item.qty }</td>
							<td>{ item.name }</td>
							<td>{ item.sku }</td>
						</tr>
					) ) }
				</tbody>
			</table>
			{ shipment.customer_note && (
				<p className="omnistock-pos__slip-note">
					{ __( 'Note from the customer:', 'omnistock' ) }{ ' ' }
					{ shipment.customer_note }
				</p>
			) }
			<div className="omnistock-pos__actions omnistock-pos__slip-actions">
				<Button
					variant="primary"
					className="omnistock-pos__slip-print"
					onClick={ () => window.print() }
				>
					{ __( 'Print', 'omnistock' ) }
				</Button>
				<Button variant="tertiary" onClick={ onClose }>
					{ __( 'Close', 'omnistock' ) }
				</Button>
			</div>
		</section>
	);
}

export default function Shipments( { location, onClose } ) {
	const [ shipments, setShipments ] = useState( null );
	const [ error, setError ] = useState( null );
	const [ open, setOpen ] = useState( null ); // { id, action: 'ship'|'reject' }
	const [ slip, setSlip ] = useState( null ); // A shipment object.
	const [ carrier, setCarrier ] = useState( '' );
	const [ input, setInput ] = useState( '' );
	const [ busy, setBusy ] = useState( false );

	const load = useCallback( async () => {
		try {
			setShipments(
				await get( '/shipments', { location: location.id } )
			);
			setError( null );
		} catch ( e ) {
			setError( e.message );
		}
	}, [ location.id ] );

	useEffect( () => {
		load();
		const timer = window.setInterval( load, POLL_EVERY_MS );
		return () => window.clearInterval( timer );
	}, [ load ] );

	const act = async ( id, action, data ) => {
		setBusy( true );
		try {
			const answer = await post(
				'/shipments/' + id + '/' + action,
				data || {}
			);
			setOpen( null );
			setInput( '' );
			setError( null );
			if ( action === 'packed' ) {
				setSlip( answer ); // Packed: its slip goes in the box.
			}
			await load();
		} catch ( e ) {
			// The server's words: a transition that is not allowed, an order cancelled meanwhile.
			setError( e.message );
		} finally {
			setBusy( false );
		}
	};

	const { pick, pack, ship } = sections( shipments || [] );

	const form = ( s ) => (
		<form
			className="omnistock-pos__shipment-form"
			onSubmit={ ( e ) => {
				e.preventDefault();
				if ( open.action === 'ship' ) {
					act( s.id, 'shipped', {
						carrier: carrier.trim(),
						tracking: input.trim(),
					} );
				} else {
					act( s.id, 'reject', { reason: input.trim() } );
				}
			} }
		>
			{ open.action === 'ship' && (
				<input
					className="omnistock-pos__shipment-carrier"
					aria-label={ __( 'Carrier', 'omnistock' ) }
					placeholder={ __( 'Carrier', 'omnistock' ) }
					value={ carrier }
					onChange={ ( e ) => setCarrier( e.target.value ) }
				/>
			) }
			<input
				className={
					open.action === 'ship'
						? 'omnistock-pos__shipment-tracking'
						: 'omnistock-pos__shipment-reason'
				}
				aria-label={
					open.action === 'ship'
						? __( 'Tracking number', 'omnistock' )
						: __( 'Why it cannot be fulfilled', 'omnistock' )
				}
				placeholder={
					open.action === 'ship'
						? __( 'Tracking number', 'omnistock' )
						: __( 'Damaged, not found on the shelf…', 'omnistock' )
				}
				value={ input }
				onChange={ ( e ) => setInput( e.target.value ) }
				// The cashier opened this form to type into it.
				// eslint-disable-next-line jsx-a11y/no-autofocus
				autoFocus={ open.action !== 'ship' }
			/>
			<Button
				type="submit"
				variant="primary"
				isDestructive={ open.action === 'reject' }
				disabled={
					busy ||
					! input.trim() ||
					( open.action === 'ship' && ! carrier.trim() )
				}
			>
				{ open.action === 'ship'
					? __( 'Ship', 'omnistock' )
					: __( 'Reject shipment', 'omnistock' ) }
			</Button>
			<Button
				variant="tertiary"
				onClick={ () => {
					setOpen( null );
					setInput( '' );
				} }
			>
				{ __( 'Back', 'omnistock' ) }
			</Button>
		</form>
	);

	const card = ( s ) => {
		const step = nextStep( s );
		const cancelled = ! [ 'processing', 'on-hold' ].includes(
			s.order_status
		);
		return (
			<li
				key={ s.id }
				className="omnistock-pos__shipment"
				data-shipment={ s.id }
				data-order={ s.order }
				data-status={ s.status }
			>
				<div className="omnistock-pos__pickup-head">
					<strong>
						{ sprintf(
							/* translators: %s: the order number. */
							__( 'Order #%s', 'omnistock' ),
							s.number
						) }
					</strong>
					<span>{ s.ship_to && s.ship_to.name }</span>
					<span>
						{ sprintf(
							/* translators: %d: units. */
							_n(
								'%d unit',
								'%d units',
								units( s ),
								'omnistock'
							),
							units( s )
						) }
					</span>
				</div>
				{ cancelled && (
					<p className="omnistock-pos__shipment-warning">
						{ sprintf(
							/* translators: %s: the order's status. */
							__(
								'The order is %s: do not ship it.',
								'omnistock'
							),
							s.order_status
						) }
					</p>
				) }
				<ul className="omnistock-pos__picklist">
					{ s.items.map( ( item ) => (
						<li key={ item.item }>
							<span className="omnistock-pos__picklist-qty">
								{ item.qty } ×
							</span>{ ' ' }
							{ item.name }
							{ item.sku ? ' (' + item.sku + ')' : '' }
							{ item.bin && (
								<span className="omnistock-pos__picklist-bin">
									{ sprintf(
										/* translators: %s: the bin or shelf. */
										__( 'Bin %s', 'omnistock' ),
										item.bin
									) }
								</span>
							) }
						</li>
					) ) }
				</ul>
				{ open && open.id === s.id ? (
					form( s )
				) : (
					<div className="omnistock-pos__actions">
						{ step === 'picked' && (
							<Button
								variant="primary"
								className="omnistock-pos__shipment-picked"
								disabled={ busy }
								onClick={ () => act( s.id, 'picked' ) }
							>
								{ __( 'Picked', 'omnistock' ) }
							</Button>
						) }
						{ step === 'packed' && (
							<Button
								variant="primary"
								className="omnistock-pos__shipment-packed"
								disabled={ busy }
								onClick={ () => act( s.id, 'packed' ) }
							>
								{ __( 'Packed', 'omnistock' ) }
							</Button>
						) }
						{ step === 'shipped' && (
							<Button
								variant="primary"
								className="omnistock-pos__shipment-ship"
								onClick={ () => {
									setInput( '' );
									setOpen( { id: s.id, action: 'ship' } );
								} }
							>
								{ __( 'Ship', 'omnistock' ) }
							</Button>
						) }
						{ s.status !== 'new' && (
							<Button
								variant="secondary"
								className="omnistock-pos__shipment-slip"
								onClick={ () => setSlip( s ) }
							>
								{ __( 'Packing slip', 'omnistock' ) }
							</Button>
						) }
						<Button
							variant="tertiary"
							isDestructive
							className="omnistock-pos__shipment-reject"
							onClick={ () => {
								setInput( '' );
								setOpen( { id: s.id, action: 'reject' } );
							} }
						>
							{ __( 'Cannot fulfil', 'omnistock' ) }
						</Button>
					</div>
				) }
			</li>
		);
	};

	const section = ( key, title, list ) => (
		<Column
			key={ key }
			className={ 'omnistock-pos__shipments-' + key }
			title={ title }
			list={ list }
			card={ card }
		/>
	);

	return (
		<div
			className={
				'omnistock-pos__pickups omnistock-pos__shipments' +
				( slip ? ' has-slip' : '' )
			}
		>
			<ViewBar
				title={ __( 'Shipments', 'omnistock' ) }
				className="omnistock-pos__pickups-bar"
				errorClass="omnistock-pos__shipments-error"
				error={ error }
				onDismiss={ () => setError( null ) }
				onClose={ onClose }
			/>
			{ slip && (
				<Slip
					shipment={ slip }
					location={ location }
					onClose={ () => setSlip( null ) }
				/>
			) }
			{ shipments === null && ! error && (
				<p>{ __( 'Loading shipments…', 'omnistock' ) }</p>
			) }
			{ shipments !== null && (
				<div className="omnistock-pos__pickups-columns">
					{ section( 'pick', __( 'To pick', 'omnistock' ), pick ) }
					{ section( 'pack', __( 'To pack', 'omnistock' ), pack ) }
					{ section( 'ship', __( 'To ship', 'omnistock' ), ship ) }
				</div>
			) }
		</div>
	);
}

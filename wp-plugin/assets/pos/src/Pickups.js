/**
 * The store's pickup desk: orders to prepare, ready, and shoppers who have arrived (curbside
 * arrivals stand out and beep). A light poll of GET /pickups every few seconds while the view is
 * open, rather than WordPress Heartbeat: Heartbeat ticks every 15-60 s, and the terminal page does
 * not load it; the poll stops as soon as the cashier leaves the view.
 */
import { useCallback, useEffect, useRef, useState } from '@wordpress/element';
import { Button } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { get, post } from './api';
import { ViewBar, Column } from './ViewBar';
import { format } from './money';
import { sections, newArrivals, awaitsTransfer } from './pickup-state';

const POLL_EVERY_MS = 5000;

/** A short two-tone beep (WebAudio, no sound file); silent where the browser allows no audio. */
function beep() {
	try {
		const Context = window.AudioContext || window.webkitAudioContext;
		if ( ! Context ) {
			return;
		}
		const audio = new Context();
		[ 880, 660 ].forEach( ( hz, i ) => {
			const tone = audio.createOscillator();
			const gain = audio.createGain();
			tone.frequency.value = hz;
			gain.gain.value = 0.2;
			tone.connect( gain ).connect( audio.destination );
			tone.start( audio.currentTime + i * 0.18 );
			tone.stop( audio.currentTime + i * 0.18 + 0.15 );
		} );
		window.setTimeout( () => audio.close(), 800 );
	} catch ( e ) {}
}

export default function Pickups( { location, onClose } ) {
	const [ pickups, setPickups ] = useState( null );
	const [ error, setError ] = useState( null );
	const [ open, setOpen ] = useState( null ); // { order, action: 'collect'|'cancel' }
	const [ input, setInput ] = useState( '' );
	const [ busy, setBusy ] = useState( false );
	const seen = useRef( null );

	const load = useCallback( async () => {
		try {
			const list = await get( '/pickups', { location: location.id } );
			if ( seen.current === null ) {
				seen.current = new Set( newArrivals( new Set(), list ) );
			} else {
				const fresh = newArrivals( seen.current, list );
				fresh.forEach( ( o ) => seen.current.add( o ) );
				if ( fresh.length ) {
					beep();
				}
			}
			setPickups( list );
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

	const act = async ( order, action, data ) => {
		setBusy( true );
		try {
			await post( '/pickups/' + order + '/' + action, data || {} );
			setOpen( null );
			setInput( '' );
			setError( null );
			await load();
		} catch ( e ) {
			// The server's words: a wrong pickup code, a transition that is not allowed.
			setError( e.message );
		} finally {
			setBusy( false );
		}
	};

	const { prepare, ready, arrived } = sections( pickups || [] );

	const card = ( p ) => {
		const cardClass =
			'omnistock-pos__pickup' +
			( p.arrived ? ' is-arrived' : '' ) +
			( p.arrived && p.curbside ? ' is-curbside' : '' );
		const form = open && open.order === p.order ? open.action : null;
		const arriving = awaitsTransfer( p );
		return (
			<li
				key={ p.order }
				className={ cardClass }
				data-order={ p.order }
				data-status={ p.status }
			>
				<div className="omnistock-pos__pickup-head">
					<strong>
						{ sprintf(
							/* translators: %s: the order number. */
							__( 'Order #%s', 'omnistock' ),
							p.number
						) }
					</strong>
					<span>{ p.customer && p.customer.name }</span>
					<span>{ format( p.total ) }</span>
				</div>
				{ p.arrived && (
					<p className="omnistock-pos__pickup-arrived">
						{ p.curbside
							? __( 'Curbside: waiting outside', 'omnistock' )
							: __( 'Arrived', 'omnistock' ) }
						{ p.arrived.note ? ' · ' + p.arrived.note : '' }
					</p>
				) }
				{ arriving && (
					<p className="omnistock-pos__pickup-transfer">
						{ sprintf(
							/* translators: %s: the location the units are sent from. */
							__( 'Arriving from %s', 'omnistock' ),
							p.transfer.name
						) }
					</p>
				) }
				<ul className="omnistock-pos__pickup-items">
					{ ( p.items || [] ).map( ( item ) => (
						<li key={ item.product }>
							{ item.qty } × { item.name }
							{ item.sku ? ' (' + item.sku + ')' : '' }
						</li>
					) ) }
				</ul>
				{ form ? (
					<form
						className="omnistock-pos__pickup-form"
						onSubmit={ ( e ) => {
							e.preventDefault();
							act(
								p.order,
								form === 'collect' ? 'collected' : 'cancel',
								form === 'collect'
									? { code: input.trim() }
									: { reason: input.trim() }
							);
						} }
					>
						<input
							className={
								form === 'collect'
									? 'omnistock-pos__pickup-code'
									: 'omnistock-pos__pickup-reason'
							}
							inputMode={
								form === 'collect' ? 'numeric' : 'text'
							}
							aria-label={
								form === 'collect'
									? __( 'Pickup code', 'omnistock' )
									: __( 'Reason', 'omnistock' )
							}
							placeholder={
								form === 'collect'
									? __( 'Pickup code', 'omnistock' )
									: __( 'Reason', 'omnistock' )
							}
							value={ input }
							onChange={ ( e ) => setInput( e.target.value ) }
							// The cashier opened this form to type into it.
							// eslint-disable-next-line jsx-a11y/no-autofocus
							autoFocus
						/>
						<Button
							type="submit"
							variant="primary"
							disabled={ busy || ! input.trim() }
						>
							{ form === 'collect'
								? __( 'Hand over', 'omnistock' )
								: __( 'Cancel order', 'omnistock' ) }
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
				) : (
					<div className="omnistock-pos__actions">
						{ p.status === 'new' && (
							<Button
								variant="secondary"
								className="omnistock-pos__pickup-preparing"
								disabled={ busy }
								onClick={ () => act( p.order, 'preparing' ) }
							>
								{ __( 'Start preparing', 'omnistock' ) }
							</Button>
						) }
						{ arriving && (
							<Button
								variant="primary"
								className="omnistock-pos__pickup-received"
								disabled={ busy }
								onClick={ () => act( p.order, 'received' ) }
							>
								{ __( 'Received', 'omnistock' ) }
							</Button>
						) }
						{ ! arriving &&
							( p.status === 'new' ||
								p.status === 'preparing' ) && (
								<Button
									variant="primary"
									className="omnistock-pos__pickup-ready"
									disabled={ busy }
									onClick={ () => act( p.order, 'ready' ) }
								>
									{ __( 'Mark ready', 'omnistock' ) }
								</Button>
							) }
						{ p.status === 'ready' && (
							<Button
								variant="primary"
								className="omnistock-pos__pickup-collect"
								onClick={ () => {
									setInput( '' );
									setOpen( {
										order: p.order,
										action: 'collect',
									} );
								} }
							>
								{ __( 'Hand over', 'omnistock' ) }
							</Button>
						) }
						<Button
							variant="tertiary"
							isDestructive
							className="omnistock-pos__pickup-cancel"
							onClick={ () => {
								setInput( '' );
								setOpen( { order: p.order, action: 'cancel' } );
							} }
						>
							{ __( 'Cancel', 'omnistock' ) }
						</Button>
					</div>
				) }
			</li>
		);
	};

	const section = ( key, title, list ) => (
		<Column
			key={ key }
			className={ 'omnistock-pos__pickups-' + key }
			title={ title }
			list={ list }
			card={ card }
		/>
	);

	return (
		<div className="omnistock-pos__pickups">
			<ViewBar
				title={ __( 'Pickups', 'omnistock' ) }
				className="omnistock-pos__pickups-bar"
				errorClass="omnistock-pos__pickups-error"
				error={ error }
				onDismiss={ () => setError( null ) }
				onClose={ onClose }
			/>
			{ pickups === null && ! error && (
				<p>{ __( 'Loading pickups…', 'omnistock' ) }</p>
			) }
			{ pickups !== null && (
				<div className="omnistock-pos__pickups-columns">
					{ section(
						'arrived',
						__( 'Arrived', 'omnistock' ),
						arrived
					) }
					{ section(
						'prepare',
						__( 'To prepare', 'omnistock' ),
						prepare
					) }
					{ section( 'ready', __( 'Ready', 'omnistock' ), ready ) }
				</div>
			) }
		</div>
	);
}

/**
 * The cash drawer of this location: open with a float, pay in/out, close with the counted cash
 * (expected against counted), and the end-of-day report.
 */
import { useState } from '@wordpress/element';
import { Button, Notice } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { get, post } from './api';
import { format } from './money';

const today = () => {
	const d = new Date();
	return `${ d.getFullYear() }-${ String( d.getMonth() + 1 ).padStart(
		2,
		'0'
	) }-${ String( d.getDate() ).padStart( 2, '0' ) }`;
};

export default function Drawer( { location, session, onSession, onClose } ) {
	const [ amount, setAmount ] = useState( '' );
	const [ note, setNote ] = useState( '' );
	const [ report, setReport ] = useState( null );
	const [ day, setDay ] = useState( null );
	const [ error, setError ] = useState( null );
	const [ notice, setNotice ] = useState( null );
	const run = ( work ) => async ( e ) => {
		if ( e && e.preventDefault ) {
			e.preventDefault();
		}
		setError( null );
		try {
			await work();
		} catch ( err ) {
			setError( err.message );
		}
	};
	const open = run( async () => {
		onSession(
			await post( '/pos/sessions', {
				location: location.id,
				float: amount || '0',
			} )
		);
		setAmount( '' );
	} );
	const move = ( type ) =>
		run( async () => {
			await post( `/pos/sessions/${ session.id }/movements`, {
				type,
				amount,
				note,
			} );
			setNotice(
				type === 'in'
					? sprintf(
							/* translators: %s: amount of money. */
							__( 'Paid in %s', 'omnistock' ),
							format( amount )
					  )
					: sprintf(
							/* translators: %s: amount of money. */
							__( 'Paid out %s', 'omnistock' ),
							format( amount )
					  )
			);
			setAmount( '' );
			setNote( '' );
		} );
	const close = run( async () => {
		setReport(
			await post( `/pos/sessions/${ session.id }/close`, {
				counted: amount,
			} )
		);
		onSession( null );
		setAmount( '' );
	} );
	const showReport = run( async () =>
		setReport( await get( `/pos/sessions/${ session.id }/report` ) )
	);
	const showDay = run( async () =>
		setDay(
			await get( '/pos/reports/day', {
				location: location.id,
				date: today(),
			} )
		)
	);

	return (
		<div
			className="omnistock-pos__drawer"
			role="dialog"
			aria-label={ __( 'Cash drawer', 'omnistock' ) }
		>
			<h2>
				{ sprintf(
					/* translators: %s: location name. */
					__( 'Cash drawer · %s', 'omnistock' ),
					location.name
				) }
			</h2>
			{ error && (
				<Notice status="error" onRemove={ () => setError( null ) }>
					{ error }
				</Notice>
			) }
			{ notice && (
				<Notice status="success" onRemove={ () => setNotice( null ) }>
					{ notice }
				</Notice>
			) }
			{ ! session && (
				<form onSubmit={ open }>
					<label htmlFor="omnistock-pos-float">
						{ __( 'Float', 'omnistock' ) }{ ' ' }
						<input
							id="omnistock-pos-float"
							type="text"
							inputMode="decimal"
							aria-label={ __( 'Float', 'omnistock' ) }
							value={ amount }
							onChange={ ( e ) => setAmount( e.target.value ) }
						/>
					</label>
					<Button variant="primary" type="submit">
						{ __( 'Open drawer', 'omnistock' ) }
					</Button>
				</form>
			) }
			{ session && (
				<>
					<p>
						{ sprintf(
							/* translators: 1: date and time the drawer was opened, 2: amount of money. */
							__(
								'Open since %1$s with a float of %2$s.',
								'omnistock'
							),
							String( session.opened_at ),
							format( session.float )
						) }
					</p>
					<label htmlFor="omnistock-pos-drawer-amount">
						{ __( 'Amount', 'omnistock' ) }{ ' ' }
						<input
							id="omnistock-pos-drawer-amount"
							type="text"
							inputMode="decimal"
							aria-label={ __( 'Amount', 'omnistock' ) }
							value={ amount }
							onChange={ ( e ) => setAmount( e.target.value ) }
						/>
					</label>
					<label htmlFor="omnistock-pos-drawer-note">
						{ __( 'Note', 'omnistock' ) }{ ' ' }
						<input
							id="omnistock-pos-drawer-note"
							type="text"
							aria-label={ __( 'Note', 'omnistock' ) }
							value={ note }
							onChange={ ( e ) => setNote( e.target.value ) }
						/>
					</label>
					<div className="omnistock-pos__actions">
						<Button variant="secondary" onClick={ move( 'in' ) }>
							{ __( 'Pay in', 'omnistock' ) }
						</Button>
						<Button variant="secondary" onClick={ move( 'out' ) }>
							{ __( 'Pay out', 'omnistock' ) }
						</Button>
						<Button variant="secondary" onClick={ showReport }>
							{ __( 'Session report', 'omnistock' ) }
						</Button>
						<Button variant="primary" onClick={ close }>
							{ __( 'Close with counted cash', 'omnistock' ) }
						</Button>
					</div>
				</>
			) }
			{ report && (
				<dl className="omnistock-pos__report" data-report={ report.id }>
					<dt>{ __( 'Expected', 'omnistock' ) }</dt>
					<dd className="expected">{ format( report.expected ) }</dd>
					<dt>{ __( 'Counted', 'omnistock' ) }</dt>
					<dd className="counted">
						{ report.counted === null ||
						report.counted === undefined
							? '—'
							: format( report.counted ) }
					</dd>
					<dt>{ __( 'Difference', 'omnistock' ) }</dt>
					<dd className="difference">
						{ report.difference === null ||
						report.difference === undefined
							? '—'
							: format( report.difference ) }
					</dd>
					<dt>{ __( 'Cash sales', 'omnistock' ) }</dt>
					<dd>{ format( report.sales?.cash ) }</dd>
					<dt>{ __( 'Card sales', 'omnistock' ) }</dt>
					<dd>{ format( report.sales?.card ) }</dd>
					<dt>{ __( 'Paid in / out', 'omnistock' ) }</dt>
					<dd>
						{ format( report.movements?.in ) } /{ ' ' }
						{ format( report.movements?.out ) }
					</dd>
				</dl>
			) }
			<Button variant="secondary" onClick={ showDay }>
				{ __( 'End-of-day report', 'omnistock' ) }
			</Button>
			{ day && (
				<dl className="omnistock-pos__day">
					<dt>{ __( 'Date', 'omnistock' ) }</dt>
					<dd>{ day.date }</dd>
					<dt>{ __( 'Orders', 'omnistock' ) }</dt>
					<dd className="orders">{ day.orders }</dd>
					<dt>{ __( 'Cash', 'omnistock' ) }</dt>
					<dd>{ format( day.sales?.cash ) }</dd>
					<dt>{ __( 'Card', 'omnistock' ) }</dt>
					<dd>{ format( day.sales?.card ) }</dd>
					<dt>{ __( 'Total', 'omnistock' ) }</dt>
					<dd className="total">{ format( day.sales?.total ) }</dd>
					<dt>{ __( 'Discounts', 'omnistock' ) }</dt>
					<dd>{ format( day.discounts ) }</dd>
					<dt>{ __( 'Refunds', 'omnistock' ) }</dt>
					<dd>{ format( day.refunds ) }</dd>
					<dt>{ __( 'Tax', 'omnistock' ) }</dt>
					<dd>{ format( day.tax ) }</dd>
				</dl>
			) }
			<Button variant="tertiary" onClick={ onClose }>
				{ __( 'Back to the register', 'omnistock' ) }
			</Button>
		</div>
	);
}

/**
 * The cash drawer of this location: open with a float, pay in/out, close with the counted cash
 * (expected against counted), and the end-of-day report.
 */
import { useState } from '@wordpress/element';
import { Button, Notice } from '@wordpress/components';
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
				`${ type === 'in' ? 'Paid in' : 'Paid out' } ${ format(
					amount
				) }`
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
			aria-label="Cash drawer"
		>
			<h2>Cash drawer · { location.name }</h2>
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
						Float{ ' ' }
						<input
							id="omnistock-pos-float"
							type="text"
							inputMode="decimal"
							aria-label="Float"
							value={ amount }
							onChange={ ( e ) => setAmount( e.target.value ) }
						/>
					</label>
					<Button variant="primary" type="submit">
						Open drawer
					</Button>
				</form>
			) }
			{ session && (
				<>
					<p>
						Open since { String( session.opened_at ) } with a float
						of { format( session.float ) }.
					</p>
					<label htmlFor="omnistock-pos-drawer-amount">
						Amount{ ' ' }
						<input
							id="omnistock-pos-drawer-amount"
							type="text"
							inputMode="decimal"
							aria-label="Amount"
							value={ amount }
							onChange={ ( e ) => setAmount( e.target.value ) }
						/>
					</label>
					<label htmlFor="omnistock-pos-drawer-note">
						Note{ ' ' }
						<input
							id="omnistock-pos-drawer-note"
							type="text"
							aria-label="Note"
							value={ note }
							onChange={ ( e ) => setNote( e.target.value ) }
						/>
					</label>
					<div className="omnistock-pos__actions">
						<Button variant="secondary" onClick={ move( 'in' ) }>
							Pay in
						</Button>
						<Button variant="secondary" onClick={ move( 'out' ) }>
							Pay out
						</Button>
						<Button variant="secondary" onClick={ showReport }>
							Session report
						</Button>
						<Button variant="primary" onClick={ close }>
							Close with counted cash
						</Button>
					</div>
				</>
			) }
			{ report && (
				<dl className="omnistock-pos__report" data-report={ report.id }>
					<dt>Expected</dt>
					<dd className="expected">{ format( report.expected ) }</dd>
					<dt>Counted</dt>
					<dd className="counted">
						{ report.counted === null ||
						report.counted === undefined
							? '—'
							: format( report.counted ) }
					</dd>
					<dt>Difference</dt>
					<dd className="difference">
						{ report.difference === null ||
						report.difference === undefined
							? '—'
							: format( report.difference ) }
					</dd>
					<dt>Cash sales</dt>
					<dd>{ format( report.sales?.cash ) }</dd>
					<dt>Card sales</dt>
					<dd>{ format( report.sales?.card ) }</dd>
					<dt>Paid in / out</dt>
					<dd>
						{ format( report.movements?.in ) } /{ ' ' }
						{ format( report.movements?.out ) }
					</dd>
				</dl>
			) }
			<Button variant="secondary" onClick={ showDay }>
				End-of-day report
			</Button>
			{ day && (
				<dl className="omnistock-pos__day">
					<dt>Date</dt>
					<dd>{ day.date }</dd>
					<dt>Orders</dt>
					<dd className="orders">{ day.orders }</dd>
					<dt>Cash</dt>
					<dd>{ format( day.sales?.cash ) }</dd>
					<dt>Card</dt>
					<dd>{ format( day.sales?.card ) }</dd>
					<dt>Total</dt>
					<dd className="total">{ format( day.sales?.total ) }</dd>
					<dt>Discounts</dt>
					<dd>{ format( day.discounts ) }</dd>
					<dt>Refunds</dt>
					<dd>{ format( day.refunds ) }</dd>
					<dt>Tax</dt>
					<dd>{ format( day.tax ) }</dd>
				</dl>
			) }
			<Button variant="tertiary" onClick={ onClose }>
				Back to the register
			</Button>
		</div>
	);
}

/**
 * Returns at the counter: find the order (online or POS) by its number, the receipt's barcode or
 * the customer; choose the lines, how many and where each unit goes; refund to the original
 * payment, in cash from this store's drawer or as store credit (POST /pos/returns). An exchange
 * starts a sale from the return: with store credit, the credit's coupon is in the new cart and
 * the sale settles the difference.
 */
import { useState } from '@wordpress/element';
import { Button, Notice } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { get, post } from './api';
import { ViewBar } from './ViewBar';
import { format, toMinor, fromMinor } from './money';
import { uuid } from './uuid';

const METHOD_NAMES = {
	original: () => __( 'Original payment', 'omnistock' ),
	cash: () => __( 'Cash from the drawer', 'omnistock' ),
	credit: () => __( 'Store credit', 'omnistock' ),
};

/**
 * The choice of each line: qty (0 = not returned), restock ("here", a location id, "none") and reason.
 *
 * @param {Object} order GET /pos/orders/{id}.
 */
const freshChoices = ( order ) =>
	Object.fromEntries(
		order.lines.map( ( l ) => [
			l.item,
			{ qty: 0, restock: 'here', reason: '' },
		] )
	);

export default function Returns( { location, session, onClose, onExchange } ) {
	const [ number, setNumber ] = useState( '' );
	const [ who, setWho ] = useState( '' );
	const [ customers, setCustomers ] = useState( null );
	const [ orders, setOrders ] = useState( null );
	const [ order, setOrder ] = useState( null );
	const [ choices, setChoices ] = useState( {} );
	const [ method, setMethod ] = useState( null );
	const [ returnId, setReturnId ] = useState( null );
	const [ error, setError ] = useState( null );
	const [ busy, setBusy ] = useState( false );
	const [ done, setDone ] = useState( null );

	const open = async ( id ) => {
		setError( null );
		try {
			const o = await get( '/pos/orders/' + id );
			setOrder( o );
			setChoices( freshChoices( o ) );
			setMethod( o.methods[ 0 ] || null );
			// One id per return: a retry after a lost answer is the same return.
			setReturnId( uuid() );
			setDone( null );
		} catch ( e ) {
			setError( e.message );
		}
	};

	const find = async ( e ) => {
		e.preventDefault();
		setError( null );
		try {
			const found = await get( '/pos/orders', { number: number.trim() } );
			if ( ! found.length ) {
				setError( __( 'No order has this number.', 'omnistock' ) );
				return;
			}
			await open( found[ 0 ].id );
		} catch ( err ) {
			setError( err.message );
		}
	};

	const findCustomer = async ( e ) => {
		e.preventDefault();
		setError( null );
		try {
			setCustomers( await get( '/pos/customers', { search: who } ) );
			setOrders( null );
		} catch ( err ) {
			setError( err.message );
		}
	};

	const ordersOf = async ( customer ) => {
		try {
			setOrders(
				await get( '/pos/customers/' + customer.id + '/orders' )
			);
		} catch ( err ) {
			setError( err.message );
		}
	};

	const change = ( item, patch ) =>
		setChoices( ( c ) => ( {
			...c,
			[ item ]: { ...c[ item ], ...patch },
		} ) );

	const chosen = order
		? order.lines.filter( ( l ) => choices[ l.item ]?.qty > 0 )
		: [];
	// An estimate from the unit amounts (integer minor units); the server's answer is the refund.
	const estimate = chosen.reduce(
		( sum, l ) => sum + toMinor( l.unit ) * choices[ l.item ].qty,
		0
	);
	const needsDrawer = method === 'cash' && ! session;
	const lateRefused = order && order.late && ! order.may_late;

	const submit = async () => {
		setBusy( true );
		setError( null );
		const body = {
			id: returnId,
			order: order.id,
			location: location.id,
			lines: chosen.map( ( l ) => {
				const c = choices[ l.item ];
				const line = { item: l.item, qty: c.qty, restock: c.restock };
				if ( c.reason ) {
					line.reason = c.reason;
				}
				return line;
			} ),
			refund: { method },
		};
		if ( session ) {
			body.session = session.id;
		}
		try {
			setDone( await post( '/pos/returns', body ) );
		} catch ( e ) {
			setError( e.message );
		} finally {
			setBusy( false );
		}
	};

	const reset = () => {
		setOrder( null );
		setDone( null );
		setNumber( '' );
		setOrders( null );
		setCustomers( null );
	};

	return (
		<div className="omnistock-pos__returns">
			<ViewBar
				title={ __( 'Returns', 'omnistock' ) }
				className="omnistock-pos__returns-bar"
				errorClass="omnistock-pos__returns-error"
				error={ error }
				onDismiss={ () => setError( null ) }
				onClose={ onClose }
			/>
			{ ! order && (
				<div className="omnistock-pos__returns-find">
					<form onSubmit={ find }>
						<input
							className="omnistock-pos__returns-number"
							aria-label={ __(
								'Order number or receipt barcode',
								'omnistock'
							) }
							placeholder={ __(
								'Order number or scan the receipt',
								'omnistock'
							) }
							value={ number }
							onChange={ ( e ) => setNumber( e.target.value ) }
							// The scanner types the barcode here.
							// eslint-disable-next-line jsx-a11y/no-autofocus
							autoFocus
						/>
						<Button
							variant="primary"
							type="submit"
							className="omnistock-pos__returns-find-button"
							disabled={ ! number.trim() }
						>
							{ __( 'Find order', 'omnistock' ) }
						</Button>
					</form>
					<form onSubmit={ findCustomer }>
						<input
							className="omnistock-pos__returns-customer"
							aria-label={ __( 'Customer', 'omnistock' ) }
							placeholder={ __(
								'Or the customer: email, name or phone',
								'omnistock'
							) }
							value={ who }
							onChange={ ( e ) => setWho( e.target.value ) }
						/>
						<Button
							variant="secondary"
							type="submit"
							disabled={ who.trim().length < 2 }
						>
							{ __( 'Find customer', 'omnistock' ) }
						</Button>
					</form>
					{ customers && (
						<ul className="omnistock-pos__returns-customers">
							{ customers.map( ( c ) => (
								<li key={ c.id }>
									<Button
										variant="link"
										onClick={ () => ordersOf( c ) }
									>
										{ c.name } · { c.email }
									</Button>
								</li>
							) ) }
						</ul>
					) }
					{ orders && (
						<ul className="omnistock-pos__returns-orders">
							{ orders.map( ( o ) => (
								<li key={ o.id }>
									<Button
										variant="link"
										onClick={ () => open( o.id ) }
									>
										{ sprintf(
											/* translators: 1: order number, 2: date, 3: total, 4: online or pos. */
											__(
												'#%1$s · %2$s · %3$s · %4$s',
												'omnistock'
											),
											o.number,
											o.date.slice( 0, 10 ),
											format( o.total ),
											o.channel
										) }
									</Button>
								</li>
							) ) }
						</ul>
					) }
				</div>
			) }
			{ order && ! done && (
				<div className="omnistock-pos__return" data-order={ order.id }>
					<h3>
						{ sprintf(
							/* translators: 1: order number, 2: customer, 3: how it was paid. */
							__( 'Order #%1$s · %2$s · %3$s', 'omnistock' ),
							order.number,
							order.customer || order.email,
							order.payment
						) }
					</h3>
					{ order.late && (
						<Notice
							status={ order.may_late ? 'warning' : 'error' }
							isDismissible={ false }
							className="omnistock-pos__return-late"
						>
							{ sprintf(
								/* translators: %d: days. */
								__(
									'Bought more than %d days ago: a manager must take this return.',
									'omnistock'
								),
								order.window
							) }
						</Notice>
					) }
					<table className="omnistock-pos__return-lines">
						<tbody>
							{ order.lines.map( ( l ) => {
								const c = choices[ l.item ] || {};
								return (
									<tr key={ l.item } data-item={ l.item }>
										<td>
											{ l.name }
											<br />
											<small>
												{ sprintf(
													/* translators: 1: bought, 2: may still be returned. */
													__(
														'%1$d bought, %2$d returnable',
														'omnistock'
													),
													l.qty,
													l.returnable
												) }
											</small>
										</td>
										<td>
											<input
												type="number"
												className="omnistock-pos__return-qty"
												aria-label={ __(
													'Units returned',
													'omnistock'
												) }
												min="0"
												max={ l.returnable }
												value={ c.qty }
												disabled={ ! l.returnable }
												onChange={ ( e ) =>
													change( l.item, {
														qty: Math.max(
															0,
															Math.min(
																l.returnable,
																parseInt(
																	e.target
																		.value,
																	10
																) || 0
															)
														),
													} )
												}
											/>
										</td>
										<td>
											<select
												className="omnistock-pos__return-restock"
												aria-label={ __(
													'Where the units go',
													'omnistock'
												) }
												value={ String( c.restock ) }
												onChange={ ( e ) =>
													change( l.item, {
														restock: /^\d+$/.test(
															e.target.value
														)
															? Number(
																	e.target
																		.value
															  )
															: e.target.value,
													} )
												}
											>
												<option value="here">
													{ __(
														'Back on sale here',
														'omnistock'
													) }
												</option>
												{ order.restock_to.map(
													( r ) => (
														<option
															key={ r.id }
															value={ r.id }
														>
															{ r.name }
														</option>
													)
												) }
												<option value="none">
													{ __(
														'Write off',
														'omnistock'
													) }
												</option>
											</select>
										</td>
										<td>
											<input
												className="omnistock-pos__return-reason"
												aria-label={ __(
													'Reason',
													'omnistock'
												) }
												placeholder={
													c.restock === 'none'
														? __(
																'Reason (needed)',
																'omnistock'
														  )
														: __(
																'Reason',
																'omnistock'
														  )
												}
												value={ c.reason }
												onChange={ ( e ) =>
													change( l.item, {
														reason: e.target.value,
													} )
												}
											/>
										</td>
										<td className="num">
											{ format( l.unit ) }
										</td>
									</tr>
								);
							} ) }
						</tbody>
					</table>
					<fieldset className="omnistock-pos__return-methods">
						<legend>{ __( 'Refund', 'omnistock' ) }</legend>
						{ order.methods.map( ( m ) => (
							<Button
								key={ m }
								variant={
									method === m ? 'primary' : 'secondary'
								}
								className={
									'omnistock-pos__return-method-' + m
								}
								aria-pressed={ method === m }
								onClick={ () => setMethod( m ) }
							>
								{ METHOD_NAMES[ m ]() }
							</Button>
						) ) }
					</fieldset>
					{ needsDrawer && (
						<Notice status="warning" isDismissible={ false }>
							{ __(
								'Open the drawer to refund in cash.',
								'omnistock'
							) }
						</Notice>
					) }
					<p className="omnistock-pos__return-estimate">
						{ sprintf(
							/* translators: %s: amount. */
							__( 'Refund about %s', 'omnistock' ),
							format( fromMinor( estimate ) )
						) }
					</p>
					<Button
						variant="primary"
						className="omnistock-pos__return-submit"
						disabled={
							busy ||
							! chosen.length ||
							! method ||
							needsDrawer ||
							lateRefused
						}
						onClick={ submit }
					>
						{ __( 'Refund and return', 'omnistock' ) }
					</Button>{ ' ' }
					<Button variant="tertiary" onClick={ reset }>
						{ __( 'Another order', 'omnistock' ) }
					</Button>
				</div>
			) }
			{ done && (
				<div
					className="omnistock-pos__return-done"
					data-return={ done.id }
					data-refund={ done.refund.id }
					data-credit={ done.credit ? done.credit.code : '' }
				>
					<h3>
						{ sprintf(
							/* translators: 1: amount, 2: order number. */
							__( 'Refunded %1$s for order #%2$s', 'omnistock' ),
							format( done.amounts.total ),
							done.number
						) }
					</h3>
					<p className="omnistock-pos__return-paid-by">
						{ done.paid_by === 'cash' &&
							__(
								'Hand the cash back from the drawer.',
								'omnistock'
							) }
						{ done.paid_by === 'card' &&
							__(
								'Refund it on the card terminal.',
								'omnistock'
							) }
						{ done.paid_by === 'original' &&
							__(
								'Refunded to the original payment.',
								'omnistock'
							) }
						{ done.credit &&
							sprintf(
								/* translators: %s: coupon code. */
								__( 'Store credit code: %s', 'omnistock' ),
								done.credit.code
							) }
					</p>
					<p>
						<Button
							variant="secondary"
							href={ done.receipt_url }
							target="_blank"
							className="omnistock-pos__return-receipt"
						>
							{ __( 'Return receipt', 'omnistock' ) }
						</Button>{ ' ' }
						<Button
							variant="primary"
							className="omnistock-pos__exchange"
							onClick={ () => onExchange( done ) }
						>
							{ done.credit
								? __(
										'Exchange: new sale with this credit',
										'omnistock'
								  )
								: __( 'Exchange: new sale', 'omnistock' ) }
						</Button>{ ' ' }
						<Button variant="tertiary" onClick={ reset }>
							{ __( 'Next return', 'omnistock' ) }
						</Button>
					</p>
				</div>
			) }
		</div>
	);
}

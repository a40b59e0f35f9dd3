/** The cart: lines with quantity, remove, line discounts (if allowed); coupons; totals from /pos/quote. */
import { useState } from '@wordpress/element';
import { Button, Notice } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { format, fromMinor, toMinor } from './money';

export default function Cart( {
	cart,
	quote,
	quoteState,
	canDiscount,
	dispatch,
} ) {
	const [ coupon, setCoupon ] = useState( '' );
	const quoted = new Map(
		( quote?.lines || [] ).map( ( l ) => [ l.product, l ] )
	);
	return (
		<div className="omnistock-pos__cart">
			<table className="omnistock-pos__lines">
				<thead>
					<tr>
						<th>{ __( 'Item', 'omnistock' ) }</th>
						<th>{ __( 'Qty', 'omnistock' ) }</th>
						{ canDiscount && (
							<th>{ __( 'Discount', 'omnistock' ) }</th>
						) }
						<th className="num">{ __( 'Total', 'omnistock' ) }</th>
						<th aria-label={ __( 'Remove', 'omnistock' ) } />
					</tr>
				</thead>
				<tbody>
					{ cart.lines.map( ( line ) => (
						<tr
							key={ line.product }
							className="omnistock-pos__line"
							data-product={ line.product }
						>
							<td>
								{ line.name }
								<small> { format( line.price ) }</small>
							</td>
							<td className="qty">
								<Button
									size="small"
									label={ __( 'One less', 'omnistock' ) }
									onClick={ () =>
										dispatch( {
											type: 'qty',
											product: line.product,
											qty: line.qty - 1,
										} )
									}
								>
									−
								</Button>
								<input
									type="number"
									min="1"
									aria-label={ sprintf(
										/* translators: %s: product name. */
										__( 'Quantity of %s', 'omnistock' ),
										line.name
									) }
									value={ line.qty }
									onChange={ ( e ) =>
										dispatch( {
											type: 'qty',
											product: line.product,
											qty:
												parseInt(
													e.target.value,
													10
												) || 1,
										} )
									}
								/>
								<Button
									size="small"
									label={ __( 'One more', 'omnistock' ) }
									onClick={ () =>
										dispatch( {
											type: 'qty',
											product: line.product,
											qty: line.qty + 1,
										} )
									}
								>
									+
								</Button>
							</td>
							{ canDiscount && (
								<td>
									<input
										type="text"
										inputMode="decimal"
										className="discount"
										aria-label={ sprintf(
											/* translators: %s: product name. */
											__( 'Discount on %s', 'omnistock' ),
											line.name
										) }
										value={ line.discount || '' }
										placeholder="0.00"
										onChange={ ( e ) =>
											dispatch( {
												type: 'lineDiscount',
												product: line.product,
												discount: e.target.value,
											} )
										}
									/>
								</td>
							) }
							<td className="num">
								{ quoted.has( line.product )
									? format( quoted.get( line.product ).total )
									: '…' }
							</td>
							<td>
								<Button
									isDestructive
									size="small"
									label={ sprintf(
										/* translators: %s: product name. */
										__( 'Remove %s', 'omnistock' ),
										line.name
									) }
									onClick={ () =>
										dispatch( {
											type: 'remove',
											product: line.product,
										} )
									}
								>
									×
								</Button>
							</td>
						</tr>
					) ) }
				</tbody>
			</table>
			{ ! cart.lines.length && (
				<p className="omnistock-pos__empty">
					{ __( 'Scan or search to add items.', 'omnistock' ) }
				</p>
			) }
			<form
				className="omnistock-pos__coupon"
				onSubmit={ ( e ) => {
					e.preventDefault();
					if ( coupon.trim() ) {
						dispatch( { type: 'coupon', code: coupon.trim() } );
						setCoupon( '' );
					}
				} }
			>
				<input
					type="text"
					aria-label={ __( 'Coupon code', 'omnistock' ) }
					placeholder={ __( 'Coupon code', 'omnistock' ) }
					value={ coupon }
					onChange={ ( e ) => setCoupon( e.target.value ) }
				/>
				<Button variant="secondary" type="submit">
					{ __( 'Apply coupon', 'omnistock' ) }
				</Button>
				{ cart.coupons.map( ( code ) => (
					<span key={ code } className="omnistock-pos__chip">
						{ code }
						<Button
							size="small"
							label={ sprintf(
								/* translators: %s: coupon code. */
								__( 'Remove coupon %s', 'omnistock' ),
								code
							) }
							onClick={ () =>
								dispatch( { type: 'uncoupon', code } )
							}
						>
							×
						</Button>
					</span>
				) ) }
			</form>
			{ canDiscount && (
				<label
					htmlFor="omnistock-pos-order-discount"
					className="omnistock-pos__order-discount"
				>
					{ __( 'Order discount', 'omnistock' ) }{ ' ' }
					<input
						id="omnistock-pos-order-discount"
						type="text"
						inputMode="decimal"
						placeholder="0.00"
						value={ cart.discount }
						onChange={ ( e ) =>
							dispatch( {
								type: 'discount',
								discount: e.target.value,
							} )
						}
					/>
				</label>
			) }
			{ quoteState.error && (
				<Notice status="error" isDismissible={ false }>
					{ quoteState.error }
				</Notice>
			) }
			<Totals quote={ quote } estimate={ quoteState.estimate } />
		</div>
	);
}

function Totals( { quote, estimate } ) {
	if ( ! quote ) {
		return null;
	}
	// quote.discount includes the coupons; the rest is the cashier's line and order discounts.
	const manual =
		toMinor( quote.discount ) -
		( quote.coupons || [] ).reduce(
			( sum, c ) => sum + toMinor( c.amount ),
			0
		);
	return (
		<dl
			className="omnistock-pos__totals"
			data-estimate={ estimate ? 'yes' : 'no' }
		>
			<dt>{ __( 'Subtotal', 'omnistock' ) }</dt>
			<dd className="subtotal">{ format( quote.subtotal ) }</dd>
			{ ( quote.coupons || [] ).map( ( c ) => (
				<div key={ c.code } className="coupon-row">
					<dt>
						{ sprintf(
							/* translators: %s: coupon code. */
							__( 'Coupon %s', 'omnistock' ),
							c.code
						) }
					</dt>
					<dd>−{ format( c.amount ) }</dd>
				</div>
			) ) }
			{ manual > 0 && (
				<div className="coupon-row">
					<dt>{ __( 'Discount', 'omnistock' ) }</dt>
					<dd className="discount">
						−{ format( fromMinor( manual ) ) }
					</dd>
				</div>
			) }
			<dt>{ __( 'Tax', 'omnistock' ) }</dt>
			<dd className="tax">{ format( quote.tax ) }</dd>
			<dt className="grand">
				{ estimate
					? __( 'Total (estimate, offline)', 'omnistock' )
					: __( 'Total', 'omnistock' ) }
			</dt>
			<dd className="grand total" data-total={ quote.total }>
				{ format( quote.total ) }
			</dd>
		</dl>
	);
}

/** The cart: lines with quantity, remove, line discounts (if allowed); coupons; totals from /pos/quote. */
import { useState } from '@wordpress/element';
import { Button, Notice } from '@wordpress/components';
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
						<th>Item</th>
						<th>Qty</th>
						{ canDiscount && <th>Discount</th> }
						<th className="num">Total</th>
						<th aria-label="Remove" />
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
									label="One less"
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
									aria-label={ `Quantity of ${ line.name }` }
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
									label="One more"
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
										aria-label={ `Discount on ${ line.name }` }
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
									label={ `Remove ${ line.name }` }
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
					Scan or search to add items.
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
					aria-label="Coupon code"
					placeholder="Coupon code"
					value={ coupon }
					onChange={ ( e ) => setCoupon( e.target.value ) }
				/>
				<Button variant="secondary" type="submit">
					Apply coupon
				</Button>
				{ cart.coupons.map( ( code ) => (
					<span key={ code } className="omnistock-pos__chip">
						{ code }
						<Button
							size="small"
							label={ `Remove coupon ${ code }` }
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
					Order discount{ ' ' }
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
			<dt>Subtotal</dt>
			<dd className="subtotal">{ format( quote.subtotal ) }</dd>
			{ ( quote.coupons || [] ).map( ( c ) => (
				<div key={ c.code } className="coupon-row">
					<dt>Coupon { c.code }</dt>
					<dd>−{ format( c.amount ) }</dd>
				</div>
			) ) }
			{ manual > 0 && (
				<div className="coupon-row">
					<dt>Discount</dt>
					<dd className="discount">
						−{ format( fromMinor( manual ) ) }
					</dd>
				</div>
			) }
			<dt>Tax</dt>
			<dd className="tax">{ format( quote.tax ) }</dd>
			<dt className="grand">
				Total{ estimate ? ' (estimate, offline)' : '' }
			</dt>
			<dd className="grand total" data-total={ quote.total }>
				{ format( quote.total ) }
			</dd>
		</dl>
	);
}

/**
 * Payment: cash (tendered → change), card on the external terminal (reference), or split.
 * Items sold out meanwhile are shown before paying; selling them needs an explicit override.
 */
import { useState } from '@wordpress/element';
import { Button, CheckboxControl, Notice } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { format, fromMinor } from './money';
import { payments } from './payment-rules';

export default function Payment( {
	total,
	short,
	canOverride,
	names,
	busy,
	onPay,
	onCancel,
} ) {
	const [ method, setMethod ] = useState( 'cash' );
	const [ tendered, setTendered ] = useState( '' );
	const [ cardAmount, setCardAmount ] = useState( '' );
	const [ reference, setReference ] = useState( '' );
	const [ override, setOverride ] = useState( false );
	const plan = payments( method, total, { tendered, cardAmount, reference } );
	const blocked = short.length > 0 && ! override;
	return (
		<div
			className="omnistock-pos__payment"
			role="dialog"
			aria-label={ __( 'Payment', 'omnistock' ) }
		>
			<h2>
				{ __( 'Pay', 'omnistock' ) }{ ' ' }
				<span className="omnistock-pos__due">{ format( total ) }</span>
			</h2>
			{ short.length > 0 && (
				<Notice
					status="warning"
					isDismissible={ false }
					className="omnistock-pos__short"
				>
					<p>
						{ __(
							'Sold out meanwhile (stock at this location):',
							'omnistock'
						) }
					</p>
					<ul>
						{ short.map( ( s ) => (
							<li key={ s.product }>
								{ sprintf(
									/* translators: 1: product name, 2: quantity in the cart, 3: stock at this location. */
									__(
										'%1$s: wanted %2$s, here %3$s',
										'omnistock'
									),
									names( s.product ),
									s.wanted,
									s.stock_here
								) }
							</li>
						) ) }
					</ul>
					{ canOverride ? (
						<CheckboxControl
							label={ __(
								'The units are in hand: sell anyway (recorded as an oversell)',
								'omnistock'
							) }
							checked={ override }
							onChange={ setOverride }
						/>
					) : (
						<p>
							{ __(
								'Selling anyway needs a shop manager (override).',
								'omnistock'
							) }
						</p>
					) }
				</Notice>
			) }
			<div
				className="omnistock-pos__methods"
				role="radiogroup"
				aria-label={ __( 'Payment method', 'omnistock' ) }
			>
				{ [
					[ 'cash', __( 'Cash', 'omnistock' ) ],
					[ 'card', __( 'Card', 'omnistock' ) ],
					[ 'split', __( 'Split', 'omnistock' ) ],
				].map( ( [ key, label ] ) => (
					<Button
						key={ key }
						variant={ method === key ? 'primary' : 'secondary' }
						aria-pressed={ method === key }
						onClick={ () => setMethod( key ) }
					>
						{ label }
					</Button>
				) ) }
			</div>
			{ method !== 'cash' && (
				<>
					{ method === 'split' && (
						<label htmlFor="omnistock-pos-card-amount">
							{ __( 'Card amount', 'omnistock' ) }{ ' ' }
							<input
								id="omnistock-pos-card-amount"
								type="text"
								inputMode="decimal"
								aria-label={ __( 'Card amount', 'omnistock' ) }
								value={ cardAmount }
								onChange={ ( e ) =>
									setCardAmount( e.target.value )
								}
							/>
						</label>
					) }
					<label htmlFor="omnistock-pos-card-reference">
						{ __( 'Card terminal reference', 'omnistock' ) }{ ' ' }
						<input
							id="omnistock-pos-card-reference"
							type="text"
							aria-label={ __( 'Card reference', 'omnistock' ) }
							value={ reference }
							onChange={ ( e ) => setReference( e.target.value ) }
						/>
					</label>
				</>
			) }
			{ method !== 'card' && (
				<label htmlFor="omnistock-pos-tendered">
					{ __( 'Cash tendered', 'omnistock' ) }{ ' ' }
					<input
						id="omnistock-pos-tendered"
						type="text"
						inputMode="decimal"
						aria-label={ __( 'Cash tendered', 'omnistock' ) }
						// The cashier types the cash handed over next.
						// eslint-disable-next-line jsx-a11y/no-autofocus
						autoFocus
						value={ tendered }
						onChange={ ( e ) => setTendered( e.target.value ) }
					/>
				</label>
			) }
			{ method !== 'card' && (
				<p className="omnistock-pos__change">
					{ __( 'Change:', 'omnistock' ) }{ ' ' }
					<strong data-change={ fromMinor( plan.change ) }>
						{ format( fromMinor( plan.change ) ) }
					</strong>
				</p>
			) }
			<div className="omnistock-pos__actions">
				<Button variant="tertiary" onClick={ onCancel }>
					{ __( 'Back', 'omnistock' ) }
				</Button>
				<Button
					variant="primary"
					className="omnistock-pos__complete"
					disabled={ ! plan.ok || blocked || busy }
					isBusy={ busy }
					onClick={ () => onPay( plan.list, override ) }
				>
					{ __( 'Complete sale', 'omnistock' ) }
				</Button>
			</div>
		</div>
	);
}

/**
 * Payment: cash (tendered → change), card on the external terminal (reference), or split.
 * Items sold out meanwhile are shown before paying; selling them needs an explicit override.
 */
import { useState } from '@wordpress/element';
import { Button, CheckboxControl, Notice } from '@wordpress/components';
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
			aria-label="Payment"
		>
			<h2>
				Pay{ ' ' }
				<span className="omnistock-pos__due">{ format( total ) }</span>
			</h2>
			{ short.length > 0 && (
				<Notice
					status="warning"
					isDismissible={ false }
					className="omnistock-pos__short"
				>
					<p>Sold out meanwhile (stock at this location):</p>
					<ul>
						{ short.map( ( s ) => (
							<li key={ s.product }>
								{ names( s.product ) }: wanted { s.wanted },
								here { s.stock_here }
							</li>
						) ) }
					</ul>
					{ canOverride ? (
						<CheckboxControl
							label="The units are in hand: sell anyway (recorded as an oversell)"
							checked={ override }
							onChange={ setOverride }
						/>
					) : (
						<p>Selling anyway needs a shop manager (override).</p>
					) }
				</Notice>
			) }
			<div
				className="omnistock-pos__methods"
				role="radiogroup"
				aria-label="Payment method"
			>
				{ [
					[ 'cash', 'Cash' ],
					[ 'card', 'Card' ],
					[ 'split', 'Split' ],
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
							Card amount{ ' ' }
							<input
								id="omnistock-pos-card-amount"
								type="text"
								inputMode="decimal"
								aria-label="Card amount"
								value={ cardAmount }
								onChange={ ( e ) =>
									setCardAmount( e.target.value )
								}
							/>
						</label>
					) }
					<label htmlFor="omnistock-pos-card-reference">
						Card terminal reference{ ' ' }
						<input
							id="omnistock-pos-card-reference"
							type="text"
							aria-label="Card reference"
							value={ reference }
							onChange={ ( e ) => setReference( e.target.value ) }
						/>
					</label>
				</>
			) }
			{ method !== 'card' && (
				<label htmlFor="omnistock-pos-tendered">
					Cash tendered{ ' ' }
					<input
						id="omnistock-pos-tendered"
						type="text"
						inputMode="decimal"
						aria-label="Cash tendered"
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
					Change:{ ' ' }
					<strong data-change={ fromMinor( plan.change ) }>
						{ format( fromMinor( plan.change ) ) }
					</strong>
				</p>
			) }
			<div className="omnistock-pos__actions">
				<Button variant="tertiary" onClick={ onCancel }>
					Back
				</Button>
				<Button
					variant="primary"
					className="omnistock-pos__complete"
					disabled={ ! plan.ok || blocked || busy }
					isBusy={ busy }
					onClick={ () => onPay( plan.list, override ) }
				>
					Complete sale
				</Button>
			</div>
		</div>
	);
}

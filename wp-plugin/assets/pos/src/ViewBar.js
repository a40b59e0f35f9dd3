/**
 * What the terminal's side views (Pickups, Shipments, Returns) share: the bar with the view's title
 * and the way back to the register, its error notice, and a column of cards with its count.
 */
import { Button, Notice } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

/**
 * The view's bar and, under it, its error (dismissable).
 *
 * @param {Object}      props            Props.
 * @param {string}      props.title      The view's name.
 * @param {string}      props.className  The bar's class.
 * @param {string}      props.errorClass The error notice's class.
 * @param {string|null} props.error      The error to show, or null.
 * @param {Function}    props.onDismiss  Dismisses the error.
 * @param {Function}    props.onClose    Back to the register.
 * @return {Element} The bar.
 */
export function ViewBar( {
	title,
	className,
	errorClass,
	error,
	onDismiss,
	onClose,
} ) {
	return (
		<>
			<div className={ className }>
				<h2>{ title }</h2>
				<Button variant="secondary" onClick={ onClose }>
					{ __( 'Back to the register', 'omnistock' ) }
				</Button>
			</div>
			{ error && (
				<Notice
					status="error"
					className={ errorClass }
					onRemove={ onDismiss }
				>
					{ error }
				</Notice>
			) }
		</>
	);
}

/**
 * A column of cards under its title and count ("None" when empty).
 *
 * @param {Object}   props           Props.
 * @param {string}   props.className The column's class.
 * @param {string}   props.title     Its title.
 * @param {Array}    props.list      Its items.
 * @param {Function} props.card      Renders one item (an <li> with its key).
 * @return {Element} The column.
 */
export function Column( { className, title, list, card } ) {
	return (
		<section className={ className }>
			<h3>
				{ title } <span className="count">{ list.length }</span>
			</h3>
			{ list.length ? (
				<ul>{ list.map( card ) }</ul>
			) : (
				<p className="omnistock-pos__pickups-none">
					{ __( 'None', 'omnistock' ) }
				</p>
			) }
		</section>
	);
}

/** Customer: search WooCommerce customers (email, phone, name), create one, or sell as a guest. */
import { useEffect, useState } from '@wordpress/element';
import { Button, Notice } from '@wordpress/components';
import { __, _x } from '@wordpress/i18n';
import { get, post } from './api';
import { format } from './money';

export default function Customer( { customer, onChange } ) {
	const [ query, setQuery ] = useState( '' );
	const [ found, setFound ] = useState( [] );
	const [ creating, setCreating ] = useState( false );
	const [ form, setForm ] = useState( {
		email: '',
		first_name: '',
		last_name: '',
		phone: '',
	} );
	const [ error, setError ] = useState( null );
	const [ orders, setOrders ] = useState( null );

	useEffect( () => {
		if ( query.trim().length < 2 ) {
			setFound( [] );
			return;
		}
		const t = window.setTimeout(
			() =>
				get( '/pos/customers', { search: query.trim() } ).then(
					setFound,
					( e ) => setError( e.message )
				),
			200
		);
		return () => window.clearTimeout( t );
	}, [ query ] );

	const customerId = customer ? customer.id : null;
	useEffect( () => {
		setOrders( null );
		if ( null !== customerId ) {
			get( `/pos/customers/${ customerId }/orders` ).then(
				setOrders,
				() => setOrders( [] )
			);
		}
	}, [ customerId ] );

	if ( customer ) {
		return (
			<div
				className="omnistock-pos__customer"
				data-customer={ customer.id }
			>
				<div className="omnistock-pos__customer-head">
					<strong>{ customer.name || customer.email }</strong>{ ' ' }
					<span>{ customer.email }</span>{ ' ' }
					<span>{ customer.phone }</span>
					<Button variant="link" onClick={ () => onChange( null ) }>
						{ __( 'Guest sale instead', 'omnistock' ) }
					</Button>
				</div>
				{ orders && (
					<table className="omnistock-pos__orders">
						<tbody>
							{ orders.slice( 0, 8 ).map( ( o ) => (
								<tr key={ o.id }>
									<td>#{ o.number }</td>
									<td>{ String( o.date ).slice( 0, 10 ) }</td>
									<td>
										{ o.channel === 'pos'
											? _x(
													'Store',
													'order channel',
													'omnistock'
											  )
											: _x(
													'Online',
													'order channel',
													'omnistock'
											  ) }
									</td>
									<td>{ o.status }</td>
									<td className="num">
										{ format( o.total ) }
									</td>
								</tr>
							) ) }
							{ ! orders.length && (
								<tr>
									<td>
										{ __( 'No orders yet.', 'omnistock' ) }
									</td>
								</tr>
							) }
						</tbody>
					</table>
				) }
			</div>
		);
	}

	const create = async ( e ) => {
		e.preventDefault();
		setError( null );
		try {
			onChange( await post( '/pos/customers', form ) );
			setCreating( false );
		} catch ( err ) {
			setError( err.message );
		}
	};
	const field = ( name, label, type = 'text' ) => (
		<input
			type={ type }
			aria-label={ label }
			placeholder={ label }
			value={ form[ name ] }
			onChange={ ( e ) =>
				setForm( { ...form, [ name ]: e.target.value } )
			}
		/>
	);
	return (
		<div className="omnistock-pos__customer">
			{ error && (
				<Notice status="error" onRemove={ () => setError( null ) }>
					{ error }
				</Notice>
			) }
			{ ! creating && (
				<>
					<input
						type="search"
						aria-label={ __( 'Find customer', 'omnistock' ) }
						placeholder={ __(
							'Customer: email, phone or name (guest if empty)',
							'omnistock'
						) }
						value={ query }
						onChange={ ( e ) => setQuery( e.target.value ) }
					/>
					<Button
						variant="secondary"
						onClick={ () => setCreating( true ) }
					>
						{ __( 'New customer', 'omnistock' ) }
					</Button>
					<ul className="omnistock-pos__customers">
						{ found.map( ( c ) => (
							<li key={ c.id }>
								<Button
									variant="tertiary"
									onClick={ () => onChange( c ) }
								>
									{ c.name } · { c.email }{ ' ' }
									{ c.phone ? '· ' + c.phone : '' }
								</Button>
							</li>
						) ) }
					</ul>
				</>
			) }
			{ creating && (
				<form
					onSubmit={ create }
					className="omnistock-pos__new-customer"
				>
					{ field( 'email', __( 'Email', 'omnistock' ), 'email' ) }
					{ field( 'first_name', __( 'First name', 'omnistock' ) ) }
					{ field( 'last_name', __( 'Last name', 'omnistock' ) ) }
					{ field( 'phone', __( 'Phone', 'omnistock' ), 'tel' ) }
					<Button variant="primary" type="submit">
						{ __( 'Create', 'omnistock' ) }
					</Button>
					<Button
						variant="tertiary"
						onClick={ () => setCreating( false ) }
					>
						{ __( 'Cancel', 'omnistock' ) }
					</Button>
				</form>
			) }
		</div>
	);
}

/** Which location this terminal sells from; remembered in localStorage. */
import { useEffect, useState } from '@wordpress/element';
import { Button, Notice, Spinner } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import { get } from './api';

export const STORAGE_KEY = 'omnistock-pos-location';

export default function LocationPicker( { onPick } ) {
	const [ locations, setLocations ] = useState( null );
	const [ error, setError ] = useState( null );
	useEffect( () => {
		get( '/pos/locations' ).then( setLocations, ( e ) =>
			setError( e.message )
		);
	}, [] );
	return (
		<div className="omnistock-pos__picker">
			<h1>{ __( 'Open the terminal at…', 'omnistock' ) }</h1>
			{ error && (
				<Notice status="error" isDismissible={ false }>
					{ error }
				</Notice>
			) }
			{ ! locations && ! error && <Spinner /> }
			{ locations && locations.length === 0 && (
				<Notice status="warning" isDismissible={ false }>
					{ __(
						'No location is assigned to you. Ask a shop manager to assign one on your user profile.',
						'omnistock'
					) }
				</Notice>
			) }
			<div className="omnistock-pos__picker-list">
				{ ( locations || [] ).map( ( l ) => (
					<Button
						key={ l.id }
						variant="secondary"
						className="omnistock-pos__location"
						onClick={ () => onPick( l ) }
					>
						<strong>{ l.name }</strong>
						<span>{ l.address }</span>
					</Button>
				) ) }
			</div>
		</div>
	);
}

/**
 * The search box and its results. Typing filters the in-browser catalogue at once; Enter adds the
 * exact barcode/SKU match (what a keyboard-wedge scanner sends) or the only result.
 */
import { useEffect, useRef, useState } from '@wordpress/element';
import { Button } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { search, findCode } from './catalogue';
import { get } from './api';
import { format } from './money';

const stockText = ( n ) =>
	n === null || n === undefined ? '∞' : String( n );

export default function Search( {
	catalogue,
	location,
	onAdd,
	inputRef,
	notify,
} ) {
	const [ query, setQuery ] = useState( '' );
	const [ live, setLive ] = useState( {} );
	const results = catalogue ? search( catalogue, query ) : [];
	const ids = results.map( ( r ) => r.id ).join( ',' );
	const timer = useRef();

	// Live figures for what is on screen, a moment after typing stops (never blocks the results).
	useEffect( () => {
		window.clearTimeout( timer.current );
		if ( ! ids ) {
			return;
		}
		timer.current = window.setTimeout( () => {
			get( '/pos/stock', { location, products: ids } ).then(
				( figures ) => setLive( ( old ) => ( { ...old, ...figures } ) ),
				() => {}
			);
		}, 250 );
	}, [ ids, location ] );

	const add = ( item ) => {
		onAdd( item );
		setQuery( '' );
	};
	const onKeyDown = ( event ) => {
		if ( event.key !== 'Enter' ) {
			return;
		}
		event.preventDefault();
		const exact = findCode( catalogue, query );
		if ( exact ) {
			add( exact );
		} else if ( results.length === 1 ) {
			add( results[ 0 ] );
		} else if ( query.trim() && ! results.length ) {
			notify(
				sprintf(
					/* translators: %s: the code the cashier typed or scanned. */
					__( 'No product with the code “%s”', 'omnistock' ),
					query.trim()
				)
			);
		}
	};

	return (
		<div className="omnistock-pos__search">
			<input
				ref={ inputRef }
				type="search"
				className="omnistock-pos__search-input"
				placeholder={ __(
					'Search name, SKU or barcode — or scan (F2 here, F9 pay)',
					'omnistock'
				) }
				aria-label={ __( 'Search products', 'omnistock' ) }
				value={ query }
				onChange={ ( e ) => setQuery( e.target.value ) }
				onKeyDown={ onKeyDown }
				autoComplete="off"
				disabled={ ! catalogue }
			/>
			<ul
				className="omnistock-pos__results"
				data-query={ query }
				aria-live="polite"
			>
				{ results.map( ( item ) => {
					const figures = live[ item.id ] || item;
					return (
						<li
							key={ item.id }
							className="omnistock-pos__result"
							data-product={ item.id }
						>
							<Button
								className="omnistock-pos__result-button"
								onClick={ () => add( item ) }
							>
								<span className="omnistock-pos__result-name">
									{ item.name }
								</span>
								<span className="omnistock-pos__result-sku">
									{ item.sku || item.barcode }
								</span>
								<span className="omnistock-pos__result-price">
									{ format( item.price ) }
								</span>
								<span
									className="omnistock-pos__result-stock"
									title={ __(
										'Stock here / online',
										'omnistock'
									) }
								>
									{ __( 'here', 'omnistock' ) }{ ' ' }
									<b className="stock-here">
										{ stockText( figures.stock_here ) }
									</b>{ ' ' }
									· { __( 'online', 'omnistock' ) }{ ' ' }
									<b className="stock-online">
										{ stockText( figures.stock_online ) }
									</b>
								</span>
							</Button>
						</li>
					);
				} ) }
			</ul>
		</div>
	);
}

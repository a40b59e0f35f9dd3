/**
 * The register: location, search, cart, customer, payment, receipt, drawer, returns, offline queue.
 */
import {
	createInterpolateElement,
	useCallback,
	useEffect,
	useReducer,
	useRef,
	useState,
} from '@wordpress/element';
import { Button, Notice, Spinner } from '@wordpress/components';
import { __, _n, sprintf } from '@wordpress/i18n';
import { get, post, request, HttpError, Unreachable } from './api';
import { loadCatalogue } from './catalogue';
import { format, toMinor, fromMinor, scale, lineDiscount } from './money';
import { changeOf } from './payment-rules';
import { uuid } from './uuid';
import * as offline from './offline';
import LocationPicker, { STORAGE_KEY } from './LocationPicker';
import Search from './Search';
import Cart from './Cart';
import Customer from './Customer';
import Payment from './Payment';
import Drawer from './Drawer';
import Pickups from './Pickups';
import Shipments from './Shipments';
import Returns from './Returns';
import { cartReducer, emptyCart } from './cart-state';

const settings = window.omnistockPos || {};
const FLUSH_EVERY_MS = 10000;

const remembered = () => {
	try {
		return JSON.parse( window.localStorage.getItem( STORAGE_KEY ) );
	} catch ( e ) {
		return null;
	}
};

const RATES_KEY = 'omnistock-pos-tax-rates';

/**
 * Tax rate per tax class, learned from the server's quotes, for estimates made offline.
 *
 * @param {Object} quote     A /pos/quote answer.
 * @param {Object} catalogue The catalogue (catalogue.js), or null.
 */
function learnRates( quote, catalogue ) {
	let rates = {};
	try {
		rates = JSON.parse( window.localStorage.getItem( RATES_KEY ) ) || {};
	} catch ( e ) {}
	for ( const line of quote.lines || [] ) {
		const item = catalogue && catalogue.byId.get( line.product );
		const net = toMinor( line.total );
		if ( item && net > 0 ) {
			// As the pair of minor units (tax, net): the estimate scales by it in integers.
			rates[ item.tax_class || '' ] = [ toMinor( line.tax ), net ];
		}
	}
	window.localStorage.setItem( RATES_KEY, JSON.stringify( rates ) );
}

/**
 * What /pos/quote would say, while the server cannot be reached: catalogue prices, the cashier's
 * discounts and the tax rates last seen per tax class (coupons wait for the server). The server
 * computes the real totals when the sale is sent; one it refuses is shown to the cashier.
 *
 * @param {Object} cart      The cart.
 * @param {Object} catalogue The catalogue (catalogue.js).
 */
function estimate( cart, catalogue ) {
	let rates = {};
	try {
		rates = JSON.parse( window.localStorage.getItem( RATES_KEY ) ) || {};
	} catch ( e ) {}
	const taxed = ! settings.pricesIncludeTax;
	let subtotal = 0;
	let discount = 0;
	let tax = 0;
	const lines = cart.lines.map( ( l ) => {
		const item = catalogue && catalogue.byId.get( l.product );
		const sub = toMinor( l.price ) * l.qty;
		// The server's rule (MoneyRules::line_discount); offline the estimate knows no tax split of a
		// price shown with tax, so the line is both its own amounts and the discount never exceeds it.
		const off = lineDiscount(
			toMinor( l.discount || '0' ) || 0,
			sub,
			sub,
			! taxed
		);
		const rate = rates[ ( item && item.tax_class ) || '' ];
		const lineTax =
			taxed && Array.isArray( rate ) && rate[ 1 ] > 0
				? scale( sub - off, rate[ 0 ], rate[ 1 ] ) || 0
				: 0;
		subtotal += sub;
		discount += off;
		tax += lineTax;
		return {
			product: l.product,
			qty: l.qty,
			price: l.price,
			subtotal: fromMinor( sub ),
			discount: fromMinor( off ),
			tax: fromMinor( lineTax ),
			total: fromMinor( sub - off ),
		};
	} );
	discount += toMinor( cart.discount || '0' ) || 0;
	return {
		lines,
		subtotal: fromMinor( subtotal ),
		discount: fromMinor( discount ),
		tax: fromMinor( tax ),
		total: fromMinor( Math.max( 0, subtotal - discount + tax ) ),
		coupons: [],
		short: [],
	};
}

export default function App() {
	const [ location, setLocation ] = useState( remembered );
	const [ catalogue, setCatalogue ] = useState( null );
	const [ progress, setProgress ] = useState( '' );
	const [ cart, dispatch ] = useReducer( cartReducer, emptyCart );
	const [ customer, setCustomer ] = useState( null );
	const [ quote, setQuote ] = useState( null );
	const [ quoteState, setQuoteState ] = useState( {
		error: null,
		estimate: false,
	} );
	const [ screen, setScreen ] = useState( 'sell' );
	const [ saleId, setSaleId ] = useState( null );
	const [ short, setShort ] = useState( [] );
	const [ busy, setBusy ] = useState( false );
	const [ done, setDone ] = useState( null );
	const [ session, setSession ] = useState( null );
	const [ waiting, setWaiting ] = useState( 0 );
	const [ rejected, setRejected ] = useState( [] );
	const [ online, setOnline ] = useState( window.navigator.onLine );
	// The browser may be online while the server is not: the last request says which.
	const [ reachable, setReachable ] = useState( true );
	const [ message, setMessage ] = useState( null );
	const searchRef = useRef();

	const pick = ( l ) => {
		const chosen = { id: l.id, name: l.name, address: l.address };
		window.localStorage.setItem( STORAGE_KEY, JSON.stringify( chosen ) );
		setLocation( chosen );
	};

	// The effects below follow the location and customer by id, not by object.
	const locationId = location ? location.id : null;
	const customerId = customer ? customer.id : null;

	// The catalogue and the drawer session of this location.
	useEffect( () => {
		if ( null === locationId ) {
			return;
		}
		setCatalogue( null );
		loadCatalogue( locationId, ( n, total ) =>
			setProgress( `${ n } / ${ total }` )
		).then( setCatalogue, ( e ) =>
			setMessage( {
				status: 'error',
				text: sprintf(
					/* translators: %s: the error message. */
					__( 'Catalogue: %s', 'omnistock' ),
					e.message
				),
			} )
		);
		get( '/pos/sessions/current', { location: locationId } ).then(
			setSession,
			() => setSession( null )
		);
	}, [ locationId ] );

	useEffect( () => {
		if ( catalogue && screen === 'sell' && searchRef.current ) {
			searchRef.current.focus();
		}
	}, [ catalogue, screen ] );

	// Totals from the server, a moment after the cart changes.
	useEffect( () => {
		if ( null === locationId || ! cart.lines.length ) {
			setQuote( null );
			setQuoteState( { error: null, estimate: false } );
			return;
		}
		let current = true;
		const body = {
			location: locationId,
			lines: cart.lines.map( ( l ) =>
				l.discount
					? { product: l.product, qty: l.qty, discount: l.discount }
					: { product: l.product, qty: l.qty }
			),
			coupons: cart.coupons,
			customer: customerId,
		};
		if ( cart.discount ) {
			body.discount = cart.discount;
		}
		const t = window.setTimeout( () => {
			post( '/pos/quote', body ).then(
				( q ) => {
					if ( current ) {
						learnRates( q, catalogue );
						setReachable( true );
						setQuote( q );
						setQuoteState( { error: null, estimate: false } );
					}
				},
				( e ) => {
					if ( ! current ) {
						return;
					}
					if ( e instanceof Unreachable ) {
						setReachable( false );
						setQuote( estimate( cart, catalogue ) );
						setQuoteState( { error: null, estimate: true } );
						return;
					}
					const bad = cart.coupons.find(
						( c ) =>
							e.message
								.toLowerCase()
								.includes( c.toLowerCase() ) ||
							( e.data.params && e.data.params.coupons )
					);
					if ( bad && e.status === 400 ) {
						dispatch( { type: 'uncoupon', code: bad } );
					}
					setQuoteState( { error: e.message, estimate: false } );
				}
			);
		}, 120 );
		return () => {
			current = false;
			window.clearTimeout( t );
		};
	}, [ cart, customerId, locationId, catalogue ] );

	const refreshQueue = useCallback( async () => {
		setWaiting( ( await offline.waiting() ).length );
		setRejected( await offline.rejected() );
	}, [] );

	const flush = useCallback( async () => {
		try {
			const { sent, stopped } = await offline.flush();
			setReachable( ! stopped );
			if ( sent.length ) {
				setMessage( {
					status: 'success',
					text: sprintf(
						/* translators: %d: number of sales. */
						_n(
							'%d offline sale sent.',
							'%d offline sales sent.',
							sent.length,
							'omnistock'
						),
						sent.length
					),
				} );
			}
		} catch ( error ) {
			// IndexedDB itself failed (storage full, private mode): say so, keep the sales where they are.
			setMessage( {
				status: 'error',
				text: sprintf(
					/* translators: %s: the error message. */
					__( 'Offline queue: %s', 'omnistock' ),
					error.message
				),
			} );
		} finally {
			await refreshQueue().catch( () => {} );
		}
	}, [ refreshQueue ] );

	useEffect( () => {
		refreshQueue();
		const up = () => {
			setOnline( true );
			flush();
		};
		const down = () => setOnline( false );
		window.addEventListener( 'online', up );
		window.addEventListener( 'offline', down );
		const timer = window.setInterval( flush, FLUSH_EVERY_MS );
		flush();
		return () => {
			window.removeEventListener( 'online', up );
			window.removeEventListener( 'offline', down );
			window.clearInterval( timer );
		};
	}, [ flush, refreshQueue ] );

	// A keyboard-wedge scanner types wherever the focus is: bring printable keys to the search box.
	useEffect( () => {
		const onKey = ( e ) => {
			const tag = e.target && e.target.tagName;
			if ( e.key === 'F2' ) {
				e.preventDefault();
				searchRef.current?.focus();
				return;
			}
			if ( e.key === 'F9' && screen === 'sell' && payable ) {
				e.preventDefault();
				startPayment();
				return;
			}
			if (
				screen !== 'sell' ||
				tag === 'INPUT' ||
				tag === 'TEXTAREA' ||
				tag === 'SELECT' ||
				e.ctrlKey ||
				e.metaKey ||
				e.altKey
			) {
				return;
			}
			if ( e.key.length === 1 && searchRef.current ) {
				searchRef.current.focus();
			}
		};
		document.addEventListener( 'keydown', onKey, true );
		return () => document.removeEventListener( 'keydown', onKey, true );
	} );

	const add = ( item ) => {
		dispatch( { type: 'add', item } );
		setMessage( null );
	};

	const payable = !! quote && cart.lines.length > 0;
	const connected = online && reachable;

	const startPayment = () => {
		setSaleId( uuid() );
		setShort( ( quote && quote.short ) || [] );
		setScreen( 'pay' );
	};

	const newSale = () => {
		dispatch( { type: 'clear' } );
		setCustomer( null );
		setSaleId( null );
		setShort( [] );
		setScreen( 'sell' );
	};

	// An exchange: a new sale started from a return, its store credit (if any) in the cart, so the
	// sale's payment settles the difference.
	const exchange = ( taken ) => {
		newSale();
		if ( taken.customer ) {
			setCustomer( taken.customer );
		}
		if ( taken.credit ) {
			dispatch( { type: 'coupon', code: taken.credit.code } );
		}
	};

	const pay = async ( payments, override ) => {
		const sale = {
			id: saleId,
			location: location.id,
			lines: cart.lines.map( ( l ) =>
				l.discount
					? { product: l.product, qty: l.qty, discount: l.discount }
					: { product: l.product, qty: l.qty }
			),
			coupons: cart.coupons,
			customer: customer ? customer.id : null,
			payments,
			at: Date.now(),
			override: !! override,
		};
		if ( cart.discount ) {
			sale.discount = cart.discount;
		}
		if ( session ) {
			sale.session = session.id;
		}
		const change = changeOf( payments, quote.total );
		setBusy( true );
		try {
			if ( waiting > 0 ) {
				throw new Unreachable( 'earlier sales are still waiting' ); // Keep the order they were made in.
			}
			const { body } = await request( 'POST', '/pos/sales', {}, sale );
			setDone( { ...body, customer } );
			setScreen( 'done' );
		} catch ( e ) {
			if (
				e instanceof HttpError &&
				e.status === 409 &&
				e.code === 'omnistock_pos_short'
			) {
				setShort( e.data.short || [] );
			} else if (
				e instanceof Unreachable ||
				( e instanceof HttpError &&
					! offline.settles( e.status, e.code ) )
			) {
				if ( e instanceof Unreachable && waiting === 0 ) {
					setReachable( false );
				}
				await offline.enqueue( sale );
				await refreshQueue();
				setDone( {
					offline: true,
					id: sale.id,
					totals: { total: quote ? quote.total : '0' },
					change: fromMinor( change ),
					customer,
				} );
				setScreen( 'done' );
				flush();
			} else {
				setMessage( { status: 'error', text: e.message } );
			}
		} finally {
			setBusy( false );
		}
	};

	if ( ! location ) {
		return <LocationPicker onPick={ pick } />;
	}
	const name = ( id ) =>
		catalogue && catalogue.byId.get( id )
			? catalogue.byId.get( id ).name
			: `#${ id }`;
	// Outside the JSX: xgettext 0.21 (the .pot, bin/lib/release.sh) loses its place at a template
	// literal with a substitution inside a JSX attribute (or after one) and misses every text after it.
	const appClass = `omnistock-pos__app omnistock-pos--${ screen }`;
	const netClass = `omnistock-pos__net ${
		connected ? 'is-online' : 'is-offline'
	}`;

	return (
		<div className={ appClass }>
			<header className="omnistock-pos__bar">
				<strong className="omnistock-pos__location-name">
					{ location.name }
				</strong>
				<Button variant="link" onClick={ () => setLocation( null ) }>
					{ __( 'Change', 'omnistock' ) }
				</Button>
				<span className="omnistock-pos__cashier">
					{ settings.user && settings.user.name }
				</span>
				<span className={ netClass }>
					{ connected
						? __( 'Online', 'omnistock' )
						: __( 'Offline', 'omnistock' ) }
				</span>
				<span
					className="omnistock-pos__waiting"
					data-waiting={ waiting }
					title={ __( 'Sales waiting to be sent', 'omnistock' ) }
				>
					{ sprintf(
						/* translators: %d: number of sales. */
						_n( '%d waiting', '%d waiting', waiting, 'omnistock' ),
						waiting
					) }
				</span>
				<Button
					variant={ session ? 'secondary' : 'primary' }
					className="omnistock-pos__drawer-button"
					onClick={ () => setScreen( 'drawer' ) }
				>
					{ session
						? __( 'Drawer', 'omnistock' )
						: __( 'Open drawer', 'omnistock' ) }
				</Button>
				<Button
					variant={ screen === 'pickups' ? 'primary' : 'secondary' }
					className="omnistock-pos__pickups-button"
					onClick={ () => setScreen( 'pickups' ) }
				>
					{ __( 'Pickups', 'omnistock' ) }
				</Button>
				<Button
					variant={ screen === 'shipments' ? 'primary' : 'secondary' }
					className="omnistock-pos__shipments-button"
					onClick={ () => setScreen( 'shipments' ) }
				>
					{ __( 'Shipments', 'omnistock' ) }
				</Button>
				<Button
					variant={ screen === 'returns' ? 'primary' : 'secondary' }
					className="omnistock-pos__returns-button"
					disabled={ ! connected }
					onClick={ () => setScreen( 'returns' ) }
				>
					{ __( 'Returns', 'omnistock' ) }
				</Button>
				<Button variant="tertiary" href={ settings.adminUrl }>
					{ __( 'Exit', 'omnistock' ) }
				</Button>
			</header>
			{ message && (
				<Notice
					status={ message.status }
					onRemove={ () => setMessage( null ) }
				>
					{ message.text }
				</Notice>
			) }
			{ rejected.map( ( r ) => (
				<Notice
					key={ r.sale.id }
					status="warning"
					isDismissible={ false }
					className="omnistock-pos__rejected"
				>
					{ sprintf(
						/* translators: 1: time of the sale, 2: the server's reason. */
						__( 'Offline sale of %1$s refused: %2$s', 'omnistock' ),
						new Date( r.sale.at ).toLocaleTimeString(),
						r.message
					) }{ ' ' }
					{ r.code === 'omnistock_pos_short' &&
						settings.canOverride && (
							<Button
								variant="secondary"
								onClick={ async () => {
									await offline.forgetRejected( r.sale.id );
									await offline.enqueue( {
										...r.sale,
										override: true,
									} );
									flush();
								} }
							>
								{ __(
									'Sell anyway (units in hand)',
									'omnistock'
								) }
							</Button>
						) }
					<Button
						variant="tertiary"
						onClick={ () =>
							offline
								.forgetRejected( r.sale.id )
								.then( refreshQueue )
						}
					>
						{ __( 'Dismiss', 'omnistock' ) }
					</Button>
				</Notice>
			) ) }
			{ screen === 'drawer' && (
				<Drawer
					location={ location }
					session={ session }
					onSession={ setSession }
					onClose={ () => setScreen( 'sell' ) }
				/>
			) }
			{ screen === 'pickups' && (
				<Pickups
					location={ location }
					onClose={ () => setScreen( 'sell' ) }
				/>
			) }
			{ screen === 'shipments' && (
				<Shipments
					location={ location }
					onClose={ () => setScreen( 'sell' ) }
				/>
			) }
			{ screen === 'returns' && (
				<Returns
					location={ location }
					session={ session }
					onClose={ () => setScreen( 'sell' ) }
					onExchange={ exchange }
				/>
			) }
			{ screen === 'done' && done && (
				<Done done={ done } onNext={ newSale } />
			) }
			{ ( screen === 'sell' || screen === 'pay' ) && (
				<main className="omnistock-pos__main">
					<section className="omnistock-pos__left">
						{ ! catalogue && (
							<p>
								<Spinner />{ ' ' }
								{ sprintf(
									/* translators: %s: how many products are loaded, as "n / total". */
									__(
										'Loading the catalogue %s',
										'omnistock'
									),
									progress
								) }
							</p>
						) }
						<Search
							catalogue={ catalogue }
							location={ location.id }
							onAdd={ add }
							inputRef={ searchRef }
							notify={ ( text ) =>
								setMessage( { status: 'warning', text } )
							}
						/>
					</section>
					<section className="omnistock-pos__right">
						<Customer
							customer={ customer }
							onChange={ setCustomer }
						/>
						<Cart
							cart={ cart }
							quote={ quote }
							quoteState={ quoteState }
							canDiscount={ !! settings.canDiscount }
							dispatch={ dispatch }
						/>
						{ screen === 'sell' && (
							<Button
								variant="primary"
								className="omnistock-pos__pay"
								disabled={ ! quote || ! cart.lines.length }
								onClick={ startPayment }
							>
								{ __( 'Pay', 'omnistock' ) }{ ' ' }
								{ quote ? format( quote.total ) : '' }
							</Button>
						) }
						{ screen === 'pay' && quote && (
							<Payment
								total={ quote.total }
								short={ short }
								canOverride={ !! settings.canOverride }
								names={ name }
								busy={ busy }
								onPay={ pay }
								onCancel={ () => setScreen( 'sell' ) }
							/>
						) }
					</section>
				</main>
			) }
		</div>
	);
}

function Done( { done, onNext } ) {
	const [ email, setEmail ] = useState(
		( done.customer && done.customer.email ) || ''
	);
	const [ sent, setSent ] = useState( null );
	const a4 = done.receipt_url
		? done.receipt_url.replace( /format=80mm/, 'format=a4' )
		: null;
	const send = async () => {
		try {
			// Not a template literal: see appClass above.
			await post(
				'/pos/sales/' + done.order + '/email',
				email ? { email } : {}
			);
			setSent(
				sprintf(
					/* translators: %s: e-mail address. */
					__( 'Receipt sent to %s.', 'omnistock' ),
					email
				)
			);
		} catch ( e ) {
			setSent( e.message );
		}
	};
	return (
		<div
			className="omnistock-pos__done"
			data-sale={ done.id }
			data-order={ done.order || '' }
		>
			{ done.offline ? (
				<Notice status="warning" isDismissible={ false }>
					{ __(
						'No connection: the sale is kept on this terminal and will be sent when the connection returns.',
						'omnistock'
					) }
				</Notice>
			) : (
				<h2>
					{ createInterpolateElement(
						/* translators: <number />: the order number, e.g. #123. */
						__( 'Order <number /> complete', 'omnistock' ),
						{
							number: (
								<span className="omnistock-pos__order-number">
									#{ done.number }
								</span>
							),
						}
					) }
				</h2>
			) }
			<p className="omnistock-pos__done-total">
				{ createInterpolateElement(
					sprintf(
						/* translators: %s: the sale's total; <change />: the change to hand back. */
						__( 'Total %s · Change <change />', 'omnistock' ),
						format( done.totals && done.totals.total )
					),
					{
						change: (
							<strong className="omnistock-pos__done-change">
								{ format( done.change || '0' ) }
							</strong>
						),
					}
				) }
			</p>
			{ done.receipt_url && (
				<p>
					<Button
						variant="secondary"
						href={ done.receipt_url }
						target="_blank"
						className="omnistock-pos__receipt-80mm"
					>
						{ __( 'Receipt (80 mm)', 'omnistock' ) }
					</Button>{ ' ' }
					<Button
						variant="secondary"
						href={ a4 }
						target="_blank"
						className="omnistock-pos__receipt-a4"
					>
						{ __( 'Receipt (A4)', 'omnistock' ) }
					</Button>
				</p>
			) }
			{ ! done.offline && (
				<p>
					<input
						type="email"
						aria-label={ __( 'Receipt email', 'omnistock' ) }
						placeholder={ __(
							'Email for the receipt',
							'omnistock'
						) }
						value={ email }
						onChange={ ( e ) => setEmail( e.target.value ) }
					/>
					<Button
						variant="secondary"
						onClick={ send }
						disabled={ ! email }
					>
						{ __( 'Email receipt', 'omnistock' ) }
					</Button>
					{ sent && (
						<span className="omnistock-pos__email-result">
							{ ' ' }
							{ sent }
						</span>
					) }
				</p>
			) }
			<Button
				variant="primary"
				className="omnistock-pos__next"
				onClick={ onNext }
				// The cashier's next keystroke (Enter) starts the next sale.
				// eslint-disable-next-line jsx-a11y/no-autofocus
				autoFocus
			>
				{ __( 'Next sale', 'omnistock' ) }
			</Button>
		</div>
	);
}

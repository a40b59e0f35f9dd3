/**
 * Buy online, pick up in store (issue 15), all of it in the browser: the product page says per
 * pickup store what can be picked up there (and follows the chosen variation); the shopper picks
 * Store Mitte in the Checkout block's one list of pickup stores (WooCommerce 10) and in the classic
 * checkout (both stacks), pays cash on delivery; then the store's side (lib/pickup.mjs): the cashier
 * marks it ready, the e-mail brings the code and the "I'm here" link, the shopper checks in from the
 * curbside page, the cashier sees it within seconds and hands it over with the code; the units leave
 * Store Mitte once, and the ledger and every stock surface say so.
 *
 * The shop (site.php pickup-shop): Store Mitte (ships online, pickup and curbside, 2 hours to
 * prepare), Store Kreuzberg (pickup only, 24 hours), a DE zone with a flat rate "Parcel" (WooCommerce
 * asks for rates only while some zone has a method), a tote (3 at Store Mitte) and an apron (S: 6 at
 * Store Mitte, 2 at Store Kreuzberg; M: 2 at Store Mitte; L: none).
 */
import { assert, until } from './lib/harness.mjs';
import { handOver, surfaces } from './lib/pickup.mjs';

const stack = process.env.OMNISTOCK_STACK || 'current';

/** The pickup lines under the add-to-cart form, as the shopper reads them. */
const lines = ( page ) =>
	page
		.locator( '.omnistock-pickup__line' )
		.evaluateAll( ( items ) =>
			items.map( ( li ) => li.textContent.trim() )
		);

/** Waits until the lines read `expected`, then checks them. */
async function linesRead( page, expected, what ) {
	await until(
		async () =>
			JSON.stringify( await lines( page ) ) ===
			JSON.stringify( expected ),
		`${ what }: ${ JSON.stringify( expected ) }`
	).catch( async ( e ) => {
		throw new Error(
			`${ e.message }; the page says ${ JSON.stringify(
				await lines( page )
			) }`
		);
	} );
}

/** The order id of the order-received page the shopper is on. */
function receivedOrder( page ) {
	const url = new URL( page.url() );
	const id = Number(
		url.searchParams.get( 'order-received' ) ||
			( url.pathname.match( /order-received\/(\d+)/ ) || [] )[ 1 ]
	);
	assert.ok( id > 0, `an order id in ${ page.url() }` );
	return id;
}

/** Selects `value` in a <select> when the field is one (country and state are, on most versions). */
async function selectIfSelect( page, selector, value ) {
	const field = page.locator( selector );
	if (
		( await field.count() ) &&
		( await field.evaluate( ( e ) => e.tagName ) ) === 'SELECT'
	) {
		await field.selectOption( value );
	}
}

/** What every pickup order of this file must be when paid: at Store Mitte, through the rate chosen. */
function assertPickupOrder( ctx, shop, id, product, qty, createdVia ) {
	const order = ctx.site( 'order', id );
	const what = JSON.stringify( order );
	assert.equal( order.created_via, createdVia, what );
	assert.equal( order.payment_method, 'cod', what );
	assert.equal(
		order.status,
		'processing',
		`cash on delivery: processing: ${ what }`
	);
	assert.deepEqual(
		order.shipping,
		[ `omnistock_pickup:${ shop.mitte }` ],
		`the chosen rate: ${ what }`
	);
	assert.equal(
		Number( order.pickup ),
		shop.mitte,
		`the order's pickup location: ${ what }`
	);
	assert.equal( order.pickup_at, 'new', `a new pickup order: ${ what }` );
	assert.deepEqual(
		order.items.map( ( i ) => [ i.product, i.qty, Number( i.location ) ] ),
		[ [ product, qty, shop.mitte ] ],
		`the line is at Store Mitte, not where shipping routing would send it: ${ what }`
	);
}

const productPage = [
	'product page: per pickup store "In stock at … — pick up today", "Only N left", "Not available here"; a variable product\'s lines follow the chosen variation',
	async ( ctx ) => {
		const shop = ctx.site( 'pickup-shop' );
		const { page } = await ctx.session( null );

		await page.goto( shop.tote.url );
		await page.waitForSelector( '.omnistock-pickup' );
		await linesRead(
			page,
			[
				'Only 3 left at Store Mitte — pick up today',
				'Store Kreuzberg: Not available here',
			],
			'the tote'
		);
		assert.equal(
			await page.locator( '.omnistock-pickup__line--low' ).count(),
			1,
			'"Only 3 left" is marked low'
		);
		assert.equal(
			await page.locator( '.omnistock-pickup__line--none' ).count(),
			1
		);

		await page.goto( shop.apron.url );
		await page.waitForSelector( '.omnistock-pickup' );
		assert.equal(
			( await lines( page ) ).length,
			0,
			'no variation chosen: no store lines yet'
		);
		assert.ok(
			(
				await page.locator( '.omnistock-pickup__hint' ).textContent()
			).includes( 'Choose an option' ),
			'a hint to choose'
		);
		const size = page.locator( 'select[name="attribute_size"]' );
		await size.selectOption( 'S' );
		await linesRead(
			page,
			[
				'In stock at Store Mitte — pick up today',
				'Only 2 left at Store Kreuzberg — ready in about 24 hours',
			],
			'size S'
		);
		await page.locator( '.omnistock-pickup' ).scrollIntoViewIfNeeded();
		await ctx.screenshot( page, 'pickup-product-page' );
		await size.selectOption( 'M' );
		await linesRead(
			page,
			[
				'Only 2 left at Store Mitte — pick up today',
				'Store Kreuzberg: Not available here',
			],
			'size M'
		);
		await size.selectOption( 'L' );
		// WooCommerce itself says L is out of stock online; the store lines say where it is not.
		await linesRead(
			page,
			[
				'Store Mitte: Not available here',
				'Store Kreuzberg: Not available here',
			],
			'size L'
		);
		await size.selectOption( '' );
		await until(
			async () => ( await lines( page ) ).length === 0,
			'the lines cleared with the choice'
		);
	},
];

const classicCheckout = [
	'classic checkout: a store short of the cart is not offered; the shopper picks Store Mitte, pays; the desk prepares it, the curbside check-in reaches it, the code hands it over',
	async ( ctx ) => {
		const shop = ctx.site( 'pickup-shop' );
		const checkout = ctx.site( 'classic-checkout-page' );
		const product = shop.tote.id;
		const qty = 2;
		const before = await surfaces( ctx, shop, product );
		assert.equal( before.mitte.sellable, 3, JSON.stringify( before ) );
		assert.equal(
			before.kreuzberg.sellable,
			0,
			'no totes at Store Kreuzberg'
		);

		const { page } = await ctx.session( null );
		await page.goto(
			`${ ctx.base }/?add-to-cart=${ product }&quantity=${ qty }`
		);
		await page.goto( checkout.url );
		await page.waitForSelector( '#billing_first_name' );
		await selectIfSelect( page, '#billing_country', 'DE' );
		await page.fill( '#billing_first_name', 'Grace' );
		await page.fill( '#billing_last_name', 'Hopper' );
		await page.fill( '#billing_address_1', 'Torstr. 1' );
		await page.fill( '#billing_postcode', '10119' );
		await page.fill( '#billing_city', 'Berlin' );
		await page.fill( '#billing_email', 'grace@example.org' );
		// WooCommerce 7.7 asks for a phone number.
		if ( await page.locator( '#billing_phone' ).count() ) {
			await page.fill( '#billing_phone', '+49 30 7654321' );
		}
		// The order review is refreshed over AJAX once the address is in.
		await page.locator( '#billing_city' ).blur();
		const pickup = page.locator(
			`input[name="shipping_method[0]"][value="omnistock_pickup:${ shop.mitte }"]`
		);
		await pickup.waitFor( { state: 'attached', timeout: 20000 } );
		await page.waitForSelector( '.blockUI', { state: 'detached' } );
		const offered = await page
			.locator( 'input[name="shipping_method[0]"]' )
			.evaluateAll( ( inputs ) => inputs.map( ( i ) => i.value ) );
		assert.ok(
			offered.some( ( v ) => v.startsWith( 'flat_rate:' ) ),
			`the zone's own rate is still there: ${ offered }`
		);
		assert.ok(
			! offered.includes( `omnistock_pickup:${ shop.kreuzberg }` ),
			`Store Kreuzberg cannot supply the cart: not offered: ${ offered }`
		);
		// As a shopper does: a click on the store's name (the label of its radio).
		const label = page.locator(
			`label[for="${ await pickup.getAttribute( 'id' ) }"]`
		);
		await label.click().catch( async ( e ) => {
			await ctx.screenshot( page, 'pickup-classic-checkout-failed' );
			throw e;
		} );
		await until( () => pickup.isChecked(), 'Store Mitte chosen' );
		await page.waitForSelector( '.blockUI', { state: 'detached' } );
		assert.ok(
			( await page.locator( '#order_review' ).textContent() ).includes(
				'Store Mitte'
			),
			'the order review names the store'
		);
		const cod = page.locator( '#payment_method_cod' );
		if ( await cod.isVisible() ) {
			await cod.check();
		}
		await page.click( '#place_order' );
		await until(
			() => page.url().includes( 'order-received' ),
			'the order received page',
			45000
		).catch( async ( e ) => {
			await ctx.screenshot( page, 'pickup-classic-checkout-failed' );
			const notices = await page
				.locator( '.woocommerce-error, .woocommerce-NoticeGroup' )
				.allTextContents();
			throw new Error(
				`${ e.message }; the page says ${ JSON.stringify( notices ) }`
			);
		} );
		const id = receivedOrder( page );
		assertPickupOrder( ctx, shop, id, product, qty, 'checkout' );

		await handOver( ctx, shop, {
			id,
			email: 'grace@example.org',
			product,
			qty,
			before,
		} );
	},
];

const blockCheckout = [
	'block checkout: the shopper chooses Pickup and sees the stores in one list, picks Store Mitte, pays; the desk prepares it, the curbside check-in reaches it, the code hands it over',
	async ( ctx ) => {
		const shop = ctx.site( 'pickup-shop' );
		const checkout = ctx.site( 'checkout-page' );
		assert.ok(
			checkout.block,
			`the shop's checkout page holds the Checkout block: ${ JSON.stringify(
				checkout
			) }`
		);
		const product = shop.apron.variations.S;
		const qty = 2;
		const before = await surfaces( ctx, shop, product );
		assert.ok(
			before.kreuzberg.sellable >= qty,
			`both stores can supply it: ${ JSON.stringify( before ) }`
		);

		const { page } = await ctx.session( null );
		await page.setViewportSize( { width: 1280, height: 1100 } );
		await page.goto(
			`${ ctx.base }/?add-to-cart=${ shop.apron.id }&variation_id=${ product }&attribute_size=S&quantity=${ qty }`
		);
		await page.goto( checkout.url );
		await page.waitForSelector( '#email', { timeout: 30000 } );
		// The Checkout block's own Ship / Pickup choice, then its list of pickup locations.
		const choice = page.locator(
			'.wc-block-checkout__shipping-method-option',
			{ hasText: 'Pickup' }
		);
		await choice.waitFor( { timeout: 20000 } );
		await choice.click();
		const list = page.locator( '.wc-block-checkout__pickup-options' );
		await list.waitFor();
		const radios = list.locator( 'input[type="radio"]' );
		await until(
			async () => ( await radios.count() ) === 2,
			'two pickup stores in the list'
		);
		const values = await radios.evaluateAll( ( inputs ) =>
			inputs.map( ( i ) => [ i.name, i.value ] )
		);
		assert.deepEqual(
			values.map( ( v ) => v[ 1 ] ),
			[
				`omnistock_pickup:${ shop.mitte }`,
				`omnistock_pickup:${ shop.kreuzberg }`,
			],
			'the stores that can supply the cart, by priority'
		);
		assert.equal(
			new Set( values.map( ( v ) => v[ 0 ] ) ).size,
			1,
			'one list (one radio group)'
		);
		const text = await list.textContent();
		for ( const expected of [
			'Store Mitte',
			'Rosenthaler Str. 1, 10119 Berlin',
			'Store Kreuzberg',
			'Oranienstr. 25, 10999 Berlin',
		] ) {
			assert.ok(
				text.includes( expected ),
				`the list shows "${ expected }": ${ text }`
			);
		}
		assert.ok(
			! text.includes( 'Parcel' ),
			'no delivery rate among the pickup stores'
		);
		await list
			.locator( `input[value="omnistock_pickup:${ shop.mitte }"]` )
			.check();
		await until(
			async () =>
				( await list.textContent() ).includes(
					'Ready in about 2 hours'
				),
			"the chosen store's preparation time"
		);
		// No delivery cost: 2 × €29.00 + 19 % MwSt (with the Parcel rate it would be €74.85).
		const total = page.locator(
			'.wc-block-components-totals-footer-item .wc-block-components-totals-item__value'
		);
		await until(
			async () =>
				( await total.count() ) > 0 &&
				( await total.first().textContent() ).includes( '69.02' ),
			'the total without a delivery cost (€69.02)'
		);
		await page.evaluate( () =>
			document.getElementById( 'shipping-method' ).scrollIntoView()
		);
		await ctx.screenshot( page, 'pickup-block-checkout' );

		await page.fill( '#email', 'block-pickup@example.org' );
		await selectIfSelect( page, '#billing-country', 'DE' );
		await page.fill( '#billing-first_name', 'Ada' );
		await page.fill( '#billing-last_name', 'Byron' );
		await page.fill( '#billing-address_1', 'Torstr. 1' );
		await page.fill( '#billing-postcode', '10119' );
		await page.fill( '#billing-city', 'Berlin' );
		await selectIfSelect( page, '#billing-state', 'DE-BE' );
		const cod = page.locator(
			'input[name="radio-control-wc-payment-method-options"][value="cod"]'
		);
		if ( await cod.count() ) {
			await cod.check();
		}
		// The block sends the address to the Store API as it is typed: let that settle first. A click
		// while an update is in flight can send nothing (seen on a busy machine): then click again;
		// a click that sent the checkout is never repeated, so there is at most one order.
		await page.waitForLoadState( 'networkidle' );
		for ( let attempt = 1; ; attempt++ ) {
			const sent = page
				.waitForRequest(
					( r ) =>
						r.method() === 'POST' &&
						decodeURIComponent( r.url() ).includes(
							'wc/store/v1/checkout'
						),
					{ timeout: 15000 }
				)
				.catch( () => null );
			await page.click(
				'.wc-block-components-checkout-place-order-button'
			);
			if ( ( await sent ) || attempt === 3 ) {
				break;
			}
			console.log(
				`     (Place Order sent no checkout, attempt ${ attempt }: clicked again)`
			);
		}
		await until(
			() => page.url().includes( 'order-received' ),
			'the order received page',
			45000
		).catch( async ( e ) => {
			await ctx.screenshot( page, 'pickup-block-checkout-failed' );
			const notices = await page
				.locator(
					'.wc-block-components-notice-banner, .wc-block-components-validation-error'
				)
				.allTextContents();
			throw new Error(
				`${ e.message }; the page says ${ JSON.stringify( notices ) }`
			);
		} );
		const id = receivedOrder( page );
		assertPickupOrder( ctx, shop, id, product, qty, 'store-api' );

		await handOver( ctx, shop, {
			id,
			email: 'block-pickup@example.org',
			product,
			qty,
			before,
			screenshots: 'yes',
		} );
	},
];

if ( stack !== 'current' ) {
	console.log(
		`--   ${
			blockCheckout[ 0 ].split( ':' )[ 0 ]
		}: not on the ${ stack } stack (WooCommerce 7.7's checkout page is the shortcode; the Checkout block's pickup list is WooCommerce 8+)`
	);
}

export const tests = [
	productPage,
	classicCheckout,
	...( stack === 'current' ? [ blockCheckout ] : [] ),
];

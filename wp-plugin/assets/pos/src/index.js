/**
 * Omnistock POS terminal. WordPress 6.1 ships React 17: mounted with render(), not createRoot.
 */
import { render } from '@wordpress/element';
import App from './App';
import './index.scss';

const mount = () => {
	const root = document.getElementById( 'omnistock-pos' );
	if ( root ) {
		render( <App />, root );
	}
};
if ( document.readyState === 'loading' ) {
	document.addEventListener( 'DOMContentLoaded', mount );
} else {
	mount();
}

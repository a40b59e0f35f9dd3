/**
 * Omnistock POS terminal. WordPress 6.2+ ships React 18 (createRoot); 6.1 ships React 17 (render).
 */
import * as element from '@wordpress/element';
import App from './App';
import './index.scss';

/**
 * Mounts the app the way the page's React wants: createRoot where there is one, so React 18
 * runs concurrent rendering and does not warn that render() is deprecated; render() on React 17.
 *
 * @param {Element} root The element to mount into.
 */
export function mountApp( root ) {
	if ( typeof element.createRoot === 'function' ) {
		element.createRoot( root ).render( <App /> );
		return 'createRoot';
	}
	element.render( <App />, root );
	return 'render';
}

const mount = () => {
	const root = document.getElementById( 'omnistock-pos' );
	if ( root ) {
		root.dataset.mountedWith = mountApp( root );
	}
};
if ( document.readyState === 'loading' ) {
	document.addEventListener( 'DOMContentLoaded', mount );
} else {
	mount();
}

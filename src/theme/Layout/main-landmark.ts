import {createContext} from 'react';

/** True inside a page whose own content has no `<main>`: the layout then wraps it in one. */
export const MainLandmark = createContext(false);

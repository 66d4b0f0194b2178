import React, {type ReactNode} from 'react';
import SearchPage from '@theme-original/SearchPage';
import {MainLandmark} from '../Layout/main-landmark';

/**
 * The search plugin's results page renders its content straight into the layout, without a main
 * landmark (every other page has one); this asks the layout for one.
 */
export default function SearchPageWithMain(): ReactNode {
  return (
    <MainLandmark.Provider value={true}>
      <SearchPage />
    </MainLandmark.Provider>
  );
}

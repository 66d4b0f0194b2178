import React, {useContext, type ReactNode} from 'react';
import type {Props} from '@theme/Layout';
import Layout from '@theme-original/Layout';
import {MainLandmark} from './main-landmark';

export default function LayoutWithMain(props: Props): ReactNode {
  const wrap = useContext(MainLandmark);
  return <Layout {...props}>{wrap ? <main>{props.children}</main> : props.children}</Layout>;
}

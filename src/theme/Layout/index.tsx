import React, {useContext, type ComponentProps, type ReactNode} from 'react';
import Layout from '@theme-original/Layout';
import {MainLandmark} from './mainLandmark';

export default function LayoutWithMain(props: ComponentProps<typeof Layout>): ReactNode {
  const wrap = useContext(MainLandmark);
  return <Layout {...props}>{wrap ? <main>{props.children}</main> : props.children}</Layout>;
}

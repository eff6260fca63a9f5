import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { onUnauthenticated } from './lib/api.ts';
import { meKey } from './lib/auth.ts';
import { queryClient } from './lib/query.ts';
import { router } from './routes.tsx';

const theme = { token: { colorPrimary: '#1677ff', borderRadius: 6 } };

export function App() {
  const { i18n } = useTranslation();
  const lang = i18n.language;

  useEffect(() => {
    document.title = i18n.t('app.fullName', { lng: lang });
  }, [i18n, lang]);

  // a session that expired mid-use sends the user back to the login page
  useEffect(() => onUnauthenticated(() => queryClient.setQueryData(meKey, null)), []);

  return (
    <ConfigProvider locale={lang === 'en-US' ? enUS : zhCN} theme={theme}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}

; Inno Setup 6 script for the OneWindow (一窗通) desk on Windows, over the PyInstaller one-folder build.
; Build the folder on Windows first (packaging\build.py: dist\onewindow\onewindow.exe), then from the
; repository root:   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows\onewindow.iss
; Output: dist\onewindow-setup-<version>.exe. Not tried here (no Windows machine): see packaging/README.md.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "OneWindow"
#define AppExe "onewindow.exe"

[Setup]
; A fixed id: upgrades replace the installed version instead of installing beside it. Never change it.
AppId={{6F0B8E2A-4C1D-4E57-9B3A-0D1E5A7C9F21}
AppName={#AppName}
AppVerName={#AppName} {#AppVersion}
AppVersion={#AppVersion}
AppPublisher=OneWindow
DefaultDirName={autopf}\OneWindow
DefaultGroupName=一窗通
DisableProgramGroupPage=yes
; Per-machine install by IT; staff data stays in each user's own data directory (never under Program Files).
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=onewindow-setup-{#AppVersion}
SetupIconFile=onewindow.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; A running desk holds its files open: ask it to close (Restart Manager) before replacing them.
CloseApplications=yes

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
; The whole PyInstaller folder: onewindow.exe and _internal\ (Python, Qt and its plugins, the migrations,
; translations, catalogue and calendars).
Source: "..\..\dist\onewindow\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; Files of an older version that the new one no longer ships (a removed module must not shadow anything).
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\一窗通"; Filename: "{app}\{#AppExe}"; Comment: "供电服务一窗受理"
Name: "{autodesktop}\一窗通"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,一窗通}"; Flags: nowait postinstall skipifsilent
